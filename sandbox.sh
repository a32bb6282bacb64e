#!/usr/bin/env bash
# Runs the local sandbox: the whole flow on emulated SQS, DynamoDB and EKS (docs/sandbox.md).
#   ./sandbox.sh                      the demo scenario in events/scenarios/demo
#   ./sandbox.sh --json FILE...       your own events and grant-queue messages, report as JSON
#   ./sandbox.sh --help               every option
# Builds what it runs when needed: on the first run, and after a change to the sources the jar is made of
# (./mvnw -pl sandbox -am package; progress on standard error). Needs Node.js 18+ (dynalite) and a JDK 21+.
set -euo pipefail
root="$(cd "$(dirname "$0")" && pwd)"
jar="$root/sandbox/target/sandbox.jar"
source "$root/scripts/ensure-built.sh"
ensure_built sandbox.sh "$jar" sandbox || exit 1
# dynalite, pinned by package-lock.json (the build does this too; here for a jar built before node_modules changed)
"$root/scripts/node-tools.sh"
source "$root/scripts/java21.sh"
exec "$JAVA21" "${JAVA21_QUIET_FLAGS[@]}" -Deksaccess.repoRoot="$root" -jar "$jar" "$@"
