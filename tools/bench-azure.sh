#!/usr/bin/env bash
# Azure benchmark: our sink into Azurite vs the raw SDK staging the same bytes as block blobs, plus a 200-bucket run
# rolled on every checkpoint, all in one run against one in-memory Azurite.
# Usage: tools/bench-azure.sh [--megabytes 256] [--rounds 3] [--bucket-megabytes 100] [--bucket-rate 100000]
set -euo pipefail
cd "$(dirname "$0")/.."
azurite=flink-file-sink-azure/src/test/azurite
(cd "$azurite" && { cmp -s package-lock.json node_modules/.installed-lock || { npm ci --no-audit --no-fund --loglevel=error && cp package-lock.json node_modules/.installed-lock; }; })
cpfile=$(mktemp)
mvn -B -q -pl tools -am package dependency:build-classpath -DskipTests -DskipNpm=true -Dmdep.outputFile="$cpfile" >/dev/null
cp=$(cat "$cpfile"); rm -f "$cpfile"
exec java -Xmx4g -XX:+UseParallelGC --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED \
  -Dlog4j2.configurationFile=tools/bench-azure-log4j2.properties -cp "tools/target/classes:$cp" dev.filesink.tools.azure.AzureSinkBenchmark --azurite "$azurite" "$@"
