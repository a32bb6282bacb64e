#!/usr/bin/env bash
# Runs the local sandbox: the whole flow on emulated SQS, DynamoDB and EKS (docs/sandbox.md).
#   ./sandbox.sh                      the demo scenario in events/scenarios/demo
#   ./sandbox.sh --json FILE...       your own events and grant-queue messages, report as JSON
#   ./sandbox.sh --help               every option
# Build it first: npm ci && mvn -q package -DskipTests
set -euo pipefail
root="$(cd "$(dirname "$0")" && pwd)"
jar="$root/sandbox/target/sandbox.jar"
if [[ ! -f "$jar" ]]; then
  echo "sandbox.sh: $jar is missing; build it first: (cd $root && npm ci && mvn -q package -DskipTests)" >&2
  exit 1
fi

# A Java 21 or newer: the default java may be older (17 on some machines).
java_major() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
if [[ "$(java_major "$java" 2>/dev/null || echo 0)" -lt 21 ]]; then
  java=""
  for candidate in /usr/lib/jvm/*/bin/java; do
    if [[ -x "$candidate" && "$(java_major "$candidate" 2>/dev/null || echo 0)" -ge 21 ]]; then
      java="$candidate"
      break
    fi
  done
  if [[ -z "$java" ]]; then
    echo "sandbox.sh: needs Java 21 or newer; set JAVA_HOME to one" >&2
    exit 1
  fi
fi

flags=(-Deksaccess.repoRoot="$root")
# From Java 24, Pekko (inside ElasticMQ) makes the JVM warn about sun.misc.Unsafe; it is not ours to fix.
if [[ "$(java_major "$java")" -ge 24 ]]; then
  flags+=(--sun-misc-unsafe-memory-access=allow)
fi
exec "$java" "${flags[@]}" -jar "$jar" "$@"
