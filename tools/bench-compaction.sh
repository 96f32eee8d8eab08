#!/usr/bin/env bash
# Compaction benchmark (issue #12): 200 buckets rolled on every checkpoint for 2 minutes, compaction on, local folder,
# STREAMING with 1 s checkpoints, parallelism 2: our sink vs Flink's FileSink with enableCompact (same
# FileCompactStrategy, ConcatFileCompactor), plus a DiscardingSink as the upper bound, one after the other in one JVM.
# Every record is read back and counted; nothing hidden may be left.
# Usage: tools/bench-compaction.sh [--seconds 120 | --records N] [--parallelism 2] [--checkpoint-ms 1000]
#          [--buckets 200] [--size-threshold-mb 16] [--every-checkpoints 10] [--threads 2] [--warmup-seconds 15]
#          [--sides ours,flink,discarding,ours-nocompact,flink-nocompact] [--max-gb 25] [--dir /tmp/filesink-compaction-bench]
#        tools/bench-compaction.sh --storage s3|azure [--records 2000000] ...   (ours only, s3proxy / Azurite)
# Profiling: BENCH_JAVA_OPTS="-XX:StartFlightRecording=filename=/tmp/compaction.jfr,settings=profile"
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ " $* " == *" --storage azure "* ]]; then
  azurite=flink-file-sink-azure/src/test/azurite
  (cd "$azurite" && { cmp -s package-lock.json node_modules/.installed-lock || { npm ci --no-audit --no-fund --loglevel=error && cp package-lock.json node_modules/.installed-lock; }; })
fi
cpfile=$(mktemp)
# Builds the modules the benchmark needs in place (nothing is installed) and writes the tools module's class path.
mvn -B -q -pl tools -am package -DskipTests -DskipNpm=true dependency:build-classpath -Dmdep.outputFile="$cpfile" >/dev/null
cp=$(cat "$cpfile"); rm -f "$cpfile"
exec java -Xmx6g -XX:+UseParallelGC ${BENCH_JAVA_OPTS:-} --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED \
  -cp "tools/target/classes:$cp" dev.filesink.tools.compaction.CompactionBenchmark "$@"
