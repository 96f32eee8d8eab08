#!/usr/bin/env bash
# Formats benchmark: our Parquet (20 and 2,000 buckets) and gzip JSON lines vs Flink's FileSink with flink-parquet
# and flink-compress, each side in its own 512 MiB JVM, all in one run.
# Usage: tools/bench-formats.sh [--parquet-records 2000000] [--json-records 5000000] [--timeout 300]
#                               [--only all|parquet-20|parquet-2000|json-gzip]
#                               [--gzip-level 6] [--compression-threads N (0: inline)] [--compression-block-kib 256]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q install -DskipTests -pl tools -am
cpfile=$(mktemp)
mvn -B -q -pl tools dependency:build-classpath -Dmdep.outputFile="$cpfile" >/dev/null
cp=$(cat "$cpfile"); rm -f "$cpfile"
exec java -Xmx256m -cp "tools/target/classes:$cp" dev.filesink.tools.formats.FormatsBenchmark "$@"
