#!/usr/bin/env bash
# Many buckets, small heap: 5M Avro orders of 2,000 customers as Parquet, partitioned by customer, STREAMING, p=1,
# 512 MiB heap per side. Our sink with withMaxBufferedBytes vs Flink's FileSink, each in a JVM of its own, one run.
# Usage: tools/bench-manybuckets.sh [--records 5000000] [--checkpoint-ms 60000] [--budget-mb 32]
#        [--sides ours,ours-flink-parquet,flink] [--anchor-timeout 200] [--dir /tmp/filesink-manybuckets]
set -euo pipefail
cd "$(dirname "$0")/.."
cpfile=$(mktemp)
# Builds the modules the benchmark needs in place (nothing is installed) and writes the tools module's class path.
mvn -B -q -pl tools -am package -DskipTests dependency:build-classpath -Dmdep.outputFile="$cpfile" >/dev/null
cp=$(cat "$cpfile"); rm -f "$cpfile"
exec java -Xmx256m -cp "tools/target/classes:$cp" dev.filesink.tools.manybuckets.ManyBucketsBenchmark "$@"
