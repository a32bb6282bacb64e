#!/usr/bin/env bash
# The CDK app command (cdk.json "app"): runs dev.eksaccess.cdk.EksAccessApp on the class path Maven wrote at
# `./mvnw package`, with a Java 21 or newer (JAVA_HOME first; see scripts/java21.sh).
# Not the CDK Java template's `mvn exec:java` (exec-maven-plugin 3.7 would be usable now that ./mvnw brings Maven 3.9):
# this way a synth starts no Maven, needs no `mvn install` of the contract module (infra-cdk built alone cannot resolve
# it), and CdkSynthIT does not run a Maven build inside the Maven build that runs it.
set -euo pipefail
cd "$(dirname "$0")"
classpath_file=target/cdk-app.classpath
if [[ ! -f "$classpath_file" || ! -d target/classes ]]; then
  echo "infra-cdk is not built: run './mvnw package -DskipTests' at the repository root first" >&2
  exit 1
fi
source ../scripts/java21.sh
exec "$JAVA21" -cp "target/classes:$(cat "$classpath_file")" dev.eksaccess.cdk.EksAccessApp
