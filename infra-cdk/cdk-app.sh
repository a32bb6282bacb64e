#!/usr/bin/env bash
# The CDK app command (cdk.json "app"): runs dev.eksaccess.cdk.EksAccessApp on the class path Maven wrote at
# `mvn package`, with the JDK in JAVA_HOME when set (it needs Java 21 or newer).
set -euo pipefail
cd "$(dirname "$0")"
classpath_file=target/cdk-app.classpath
if [[ ! -f "$classpath_file" || ! -d target/classes ]]; then
  echo "infra-cdk is not built: run 'mvn package' (add -DskipTests to be quick) at the repository root first" >&2
  exit 1
fi
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
version=$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
if [[ -z "$version" || "${version%%.*}" -lt 21 ]]; then
  echo "the CDK app needs Java 21 or newer; '$java' is ${version:-not runnable}: set JAVA_HOME to a JDK 21+" >&2
  exit 1
fi
exec "$java" -cp "target/classes:$(cat "$classpath_file")" dev.eksaccess.cdk.EksAccessApp
