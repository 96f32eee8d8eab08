#!/usr/bin/env bash
# Builds the example job and runs it on an embedded Flink MiniCluster.
#
#   ./run-example.sh                      # bounded STREAMING job, ~20 s, output in ./example-output
#   ./run-example.sh --help               # all options
#   ./run-example.sh --records 100000 --rate 0 --mode BATCH --destination /tmp/out
#
# Builds with "mvn package" (nothing is installed into ~/.m2); SKIP_BUILD=1 reuses an earlier build.
set -euo pipefail
cd "$(dirname "$0")"

MODULE=flink-file-sink-e2e-tests
JOB_JAR="$MODULE/target/flink-file-sink-example.jar"
FLINK_LIB="$MODULE/target/flink-lib"

if [[ "${SKIP_BUILD:-0}" != 1 || ! -f "$JOB_JAR" ]]; then
  echo "Building the example job (mvn package -pl $MODULE -am) ..."
  mvn -B -q package -DskipTests -DskipNpm=true -pl "$MODULE" -am
fi

# The same JVM options Flink's own scripts use on Java 17.
JAVA_OPTS=(
  --add-exports=java.base/sun.net.util=ALL-UNNAMED
  --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED
  --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED
  --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.text=ALL-UNNAMED
  --add-opens=java.base/java.time=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED
)

# The job jar plus Flink's jars (what a cluster provides) on one class path: Flink runs embedded in this JVM.
exec java -Xmx1g "${JAVA_OPTS[@]}" \
  -Dlog4j.configurationFile="$MODULE/conf/log4j2-example.properties" \
  -cp "$JOB_JAR:$FLINK_LIB/*" \
  dev.filesink.example.ExampleJob "$@"
