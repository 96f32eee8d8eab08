#!/usr/bin/env bash
# Restart cost over a long history: restoring writers whose base path holds 10,000 partition directories, orphans
# found through the bucket journals vs the full walk of the base path (the anchor), on the local file system and
# on HDFS (in-process MiniDFSCluster); also the journal's own cost on the write path.
# Usage: tools/bench-restart.sh [--fs local,hdfs] [--dirs 10000] [--writers 4] [--buckets 50] [--records 20000]
#          [--rounds 3] [--dir /tmp/filesink-bench-restart]
set -euo pipefail
cd "$(dirname "$0")/.."
# Compiled in one reactor run, so the tools see the fresh core classes (nothing installed into ~/.m2).
cpfile=$(mktemp)
mvn -B -q ${MVN_OPTS:-} -pl tools -am compile dependency:build-classpath -Dmdep.outputFile="$cpfile" -DskipTests >/dev/null
cp=$(cat "$cpfile"); rm -f "$cpfile"
exec java ${BENCH_JAVA_OPTS:-} -Xmx2g -XX:+UseParallelGC --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED \
  -Dlog4j2.configurationFile=tools/bench-restart-log4j2.properties \
  -cp "tools/target/classes:$cp" dev.filesink.tools.restart.RestartBenchmark "$@"
