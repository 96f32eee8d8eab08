#!/usr/bin/env bash
# A tour for people trying the project by hand: starts a real Flink session cluster on this machine (from Flink's
# Maven Central jars), a loopback S3 server (s3proxy) and Azurite, submits the example job's fat jar with Flink's
# CLI to a local folder, to S3 and to Azure, and shows the finished part files of each.
#
#   tools/demo.sh                  # everything is stopped at the end
#   tools/demo.sh --keep-running   # keep the cluster and servers up until Enter is pressed
#
# Needs Java 17, Maven and Node.js (for Azurite). Output and logs go to flink-file-sink-e2e-tests/target/demo.
# SKIP_BUILD=1 reuses an earlier build.
set -euo pipefail
cd "$(dirname "$0")/.."

MODULE=flink-file-sink-e2e-tests
AZURITE_DIR=flink-file-sink-azure/src/test/azurite

if [[ "${SKIP_BUILD:-0}" != 1 || ! -f "$MODULE/target/test-classpath.txt" ]]; then
  echo "Building the example job and the test harness (mvn package -pl $MODULE -am) ..."
  mvn -B -q package -DskipTests -DskipNpm=true -pl "$MODULE" -am
fi

# Azurite, pinned by the Azure module's package-lock.json.
if ! cmp -s "$AZURITE_DIR/package-lock.json" "$AZURITE_DIR/node_modules/.installed-lock" 2>/dev/null; then
  echo "Installing Azurite (npm ci in $AZURITE_DIR) ..."
  (cd "$AZURITE_DIR" && npm ci --no-audit --no-fund --loglevel=error && cp package-lock.json node_modules/.installed-lock)
fi

exec java -Xmx512m \
  -De2e.flink.lib="$MODULE/target/flink-lib" \
  -De2e.example.jar="$MODULE/target/flink-file-sink-example.jar" \
  -Dazurite.dir="$AZURITE_DIR" \
  -Dlog4j2.level=WARN -Djdk.httpclient.allowRestrictedHeaders=content-length \
  -cp "$MODULE/target/test-classes:$MODULE/target/classes:$(cat "$MODULE/target/test-classpath.txt")" \
  dev.filesink.e2e.demo.Demo "$MODULE/target/demo" "$@"
