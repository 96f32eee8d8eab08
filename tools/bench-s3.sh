#!/usr/bin/env bash
# S3 benchmark: our sink vs Flink's FileSink on flink-s3-fs-hadoop and flink-s3-fs-native, plus the raw SDK
# multipart upload, all against one loopback s3proxy (in-memory) in one run.
# Usage: tools/bench-s3.sh [--records 10000000] [--bucket-records 20000000] [--bucket-rounds 3] [--time-limit-s 180] [--only all|raw,ours,hadoop,native]
#          [--prefill-mib N] (s3proxy's store is grown once before measuring; default: 1.25x the largest run)
#          [--shapes all|one|many] [--warmup-records 2000000] (every sink first runs once unmeasured, to warm the JIT)
#          [--ours-inline-budget-kib N] [--ours-commit-parallelism N]
#          [--ours-checksums true|false] [--ours-request-threads N] [--ours-buffer-memory-mib N] (experiments; default: our sink's defaults)
# Every sink's objects are read back and every record counted; records/s runs from the source's first record to the
# job's end. Profiling: BENCH_JAVA_OPTS="-XX:StartFlightRecording=filename=/tmp/s3.jfr,settings=profile"
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q install -DskipTests -pl tools -am
plugins="$(pwd)/tools/target/s3-plugins"
mkdir -p "$plugins"
for fs in hadoop native; do
  if ! ls "$plugins/s3-fs-$fs"/*.jar >/dev/null 2>&1; then
    mvn -B -q dependency:copy -Dartifact="org.apache.flink:flink-s3-fs-$fs:2.3.0" -DoutputDirectory="$plugins/s3-fs-$fs"
  fi
done
cpfile=$(mktemp)
mvn -B -q -pl tools dependency:build-classpath -Dmdep.outputFile="$cpfile" >/dev/null
cp=$(cat "$cpfile"); rm -f "$cpfile"
export FLINK_PLUGINS_DIR="$plugins/active"
mkdir -p "$FLINK_PLUGINS_DIR"
exec java -Xms8g -Xmx8g -XX:+UseParallelGC ${BENCH_JAVA_OPTS:-} --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED \
  -Dlog4j2.level=WARN -cp "tools/target/classes:$cp" dev.filesink.tools.s3.S3SinkBenchmark --plugins "$plugins" "$@"
