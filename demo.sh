#!/usr/bin/env bash
# Builds the platform and runs it locally: real Kafka (KRaft), PostgreSQL and S3 server started from Maven
# artifacts, the control plane, a quantizer worker and a simulated fleet of edge agents.
# Options are passed to the demo (try ./demo.sh --help).
set -euo pipefail
cd "$(dirname "$0")"
./mvnw -q install -DskipTests
exec java -cp "platform-demo/target/platform-demo.jar:$(cat platform-demo/target/classpath.txt)" \
  io.edgefleet.demo.PlatformDemo "$@"
