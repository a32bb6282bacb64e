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
source "$root/scripts/java21.sh"
exec "$JAVA21" "${JAVA21_QUIET_FLAGS[@]}" -Deksaccess.repoRoot="$root" -jar "$jar" "$@"
