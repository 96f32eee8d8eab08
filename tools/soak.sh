#!/usr/bin/env bash
# The soak run of issue 16 (not part of `mvn verify`): a standalone Flink cluster with ZooKeeper HA (two
# JobManagers) and three TaskManagers, one job writing to S3 (s3proxy) and one to Azure (Azurite), each through a
# loopback fault proxy, for --minutes (default 20). After a quiet phase a seeded chaos driver kills TaskManagers and
# the leading JobManager, makes the storage proxies refuse, cut, stall or answer 500/503 for a while, and rescales
# both jobs once through savepoints. At the end both jobs are drained and every record is read back; the markdown
# report (faults by kind, restarts, recovery times, throughput, heap) is printed and written to --report.
#
#   tools/soak.sh                                   # 20 minutes, random seed (printed)
#   tools/soak.sh --minutes 3 --seed 42             # a short run, the same faults as an earlier seed-42 run
#   tools/soak.sh --report docs/soak-report.md      # where the report goes (default: the work dir)
#
# Other options: --quiet-seconds S (fault-free phase at the start; default min(120, minutes*12)),
# --rate N (records/s per job; default 1000), --pause-seconds MIN-MAX (between faults; default 15-45). Needs Java 17, Maven and Node.js (for Azurite), as the e2e tests.
# Builds with `mvn package -pl flink-file-sink-e2e-tests -am` (MVN_OPTS_EXTRA="-o" builds offline); SKIP_BUILD=1
# reuses an earlier build. Work dir (cluster logs, savepoints): flink-file-sink-e2e-tests/target/soak/<time>.
# Exit code 0 only if every check passed.
set -euo pipefail
cd "$(dirname "$0")/.."

MODULE=flink-file-sink-e2e-tests
AZURITE_DIR=flink-file-sink-azure/src/test/azurite

if [[ "${SKIP_BUILD:-0}" != 1 || ! -f "$MODULE/target/test-classpath.txt" ]]; then
  echo "Building the example job and the test harness (mvn package -pl $MODULE -am) ..."
  # shellcheck disable=SC2086
  mvn -B -q ${MVN_OPTS_EXTRA:-} package -DskipTests -DskipNpm=true -pl "$MODULE" -am
fi

# Azurite, pinned by the Azure module's package-lock.json.
if ! cmp -s "$AZURITE_DIR/package-lock.json" "$AZURITE_DIR/node_modules/.installed-lock" 2>/dev/null; then
  echo "Installing Azurite (npm ci in $AZURITE_DIR) ..."
  (cd "$AZURITE_DIR" && npm ci --no-audit --no-fund --loglevel=error && cp package-lock.json node_modules/.installed-lock)
fi

WORK_DIR="$MODULE/target/soak/$(date -u +%Y%m%d-%H%M%S)"
mkdir -p "$WORK_DIR"
COMMIT="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo '+changes')"

exec java -Xmx1536m \
  -De2e.flink.lib="$MODULE/target/flink-lib" \
  -De2e.example.jar="$MODULE/target/flink-file-sink-example.jar" \
  -Dazurite.dir="$AZURITE_DIR" \
  -Dsoak.commit="$COMMIT" -De2e.startup.timeout.seconds=300 \
  -Dlog4j.configurationFile=tools/soak-log4j2.properties -Djdk.httpclient.allowRestrictedHeaders=content-length \
  -cp "$MODULE/target/test-classes:$MODULE/target/classes:$(cat "$MODULE/target/test-classpath.txt")" \
  dev.filesink.e2e.soak.SoakRun --work-dir "$WORK_DIR" "$@"
