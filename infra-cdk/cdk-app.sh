#!/usr/bin/env bash
# The CDK app command (cdk.json "app"): runs dev.eksaccess.cdk.EksAccessApp on the class path Maven wrote at
# `mvn package`, with a Java 21 or newer (JAVA_HOME first; see scripts/java21.sh).
set -euo pipefail
cd "$(dirname "$0")"
classpath_file=target/cdk-app.classpath
if [[ ! -f "$classpath_file" || ! -d target/classes ]]; then
  echo "infra-cdk is not built: run 'mvn package' (add -DskipTests to be quick) at the repository root first" >&2
  exit 1
fi
source ../scripts/java21.sh
exec "$JAVA21" -cp "target/classes:$(cat "$classpath_file")" dev.eksaccess.cdk.EksAccessApp
