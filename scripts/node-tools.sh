#!/usr/bin/env bash
# Installs the Node tools package-lock.json pins (dynalite, which emulates DynamoDB for the tests and the sandbox, and
# the AWS CDK CLI) with `npm ci`, when node_modules is missing or stale: when what npm last installed, which it
# records in node_modules/.package-lock.json, differs from package-lock.json. Silent when there is nothing to do.
# The build runs it once, from the root project (pom.xml; skip with -DskipNpm); sandbox.sh runs it too.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "node-tools: Node.js 18 or newer with npm is needed and $(command -v node >/dev/null 2>&1 && echo "npm is" || echo "node is") not on the PATH:" \
    "the tests and the sandbox run dynalite (emulated DynamoDB) and deployment runs the AWS CDK CLI, both from npm." \
    "Install Node.js, e.g. 'sudo apt-get install nodejs npm', 'brew install node' or from https://nodejs.org," \
    "then run the command again (or build without it: -DskipNpm)." >&2
  exit 1
fi

# Prints why `npm ci` must run, or nothing when node_modules holds exactly what package-lock.json pins. Packages the
# lock marks optional may be missing from node_modules: npm skips those not meant for this platform.
reason="$(node -e '
  const fs = require("fs");
  const read = (file) => { try { return JSON.parse(fs.readFileSync(file, "utf8")); } catch (e) { return null; } };
  const major = Number(process.versions.node.split(".")[0]);
  if (major < 18) { console.log("old-node " + process.versions.node); process.exit(); }
  const wanted = read("package-lock.json");
  const installed = read("node_modules/.package-lock.json");
  if (!fs.existsSync("node_modules")) { console.log("node_modules is missing"); process.exit(); }
  if (!wanted || !installed) { console.log("node_modules has no record of a complete npm install"); process.exit(); }
  const same = (a, b) => ["version", "resolved", "integrity", "link"].every((key) => a[key] === b[key]);
  const want = wanted.packages || {}, have = installed.packages || {};
  const changed = Object.keys(want).filter((path) => path !== "" && (have[path] ? !same(want[path], have[path]) : !want[path].optional))
    .concat(Object.keys(have).filter((path) => !want[path]));
  if (changed.length > 0) {
    console.log("package-lock.json differs from what is installed (" + changed.slice(0, 3).map((p) => p.replace(/^.*node_modules\//, "")).join(", ")
      + (changed.length > 3 ? ", ..." : "") + ")");
  }
')"

if [[ "$reason" == old-node* ]]; then
  echo "node-tools: Node.js 18 or newer is needed, and the node on the PATH is ${reason#old-node }. Install a newer one," \
    "e.g. from https://nodejs.org, then run the command again." >&2
  exit 1
fi
if [[ -n "$reason" ]]; then
  echo "node-tools: $reason: npm ci (dynalite and the AWS CDK CLI, as package-lock.json pins them)" >&2
  npm ci --no-audit --no-fund --no-update-notifier
fi
