#!/usr/bin/env bash
# Local file system benchmark: our sink vs Flink's FileSink vs a discarding sink, in one run.
# Usage: tools/bench-core.sh [--records 10000000] [--dir /tmp/filesink-bench] [--repeat 1]
#          [--only ours,flink,discarding] [--modes streaming_p1,streaming_p2,batch_p1]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q install -DskipTests -pl tools -am
cpfile=$(mktemp)
mvn -B -q -pl tools dependency:build-classpath -Dmdep.outputFile="$cpfile" >/dev/null
cp=$(cat "$cpfile"); rm -f "$cpfile"
exec java ${BENCH_JAVA_OPTS:-} -Xmx2g -XX:+UseParallelGC --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED \
  -cp "tools/target/classes:$cp" dev.filesink.tools.core.LocalSinkBenchmark "$@"
