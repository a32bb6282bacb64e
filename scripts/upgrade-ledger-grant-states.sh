#!/usr/bin/env bash
# One-off upgrade step (docs/deploy.md, "Upgrading: the append-only ledger"): moves grant states written before the
# ledger became append-only from their cluster's audit partition (pk CLUSTER#<arn>, sk GRANT#...) to the grant-state
# partition (pk GRANT#<arn>, same sk and attributes), where the functions now read and change them.
#
#   scripts/upgrade-ledger-grant-states.sh LEDGER_TABLE [aws cli options, e.g. --region eu-west-1 --endpoint-url URL]
#
# Run it with an operator's credentials (the functions may not delete from audit partitions), after the upgrade is
# deployed. Safe to run again: a grant state is copied only where none exists yet (a newer state the processor wrote
# after the upgrade wins), and the old item is deleted only once its copy is there or a newer state is. Needs the AWS
# CLI and jq. Prints one line per grant state moved.
set -euo pipefail

if [[ $# -lt 1 ]]; then
  echo "usage: $0 LEDGER_TABLE [aws cli options]" >&2
  exit 2
fi
table="$1"
shift

errors=$(mktemp)
trap 'rm -f "$errors"' EXIT
# scan pages through the whole table by itself; only old grant states match.
aws dynamodb scan "$@" --table-name "$table" --output json \
  --filter-expression "itemType = :grant AND begins_with(pk, :audit) AND begins_with(sk, :grant_sk)" \
  --expression-attribute-values '{":grant":{"S":"grant"},":audit":{"S":"CLUSTER#"},":grant_sk":{"S":"GRANT#"}}' \
  | jq -c '.Items[]' | while read -r item; do
    copy=$(jq -c '.pk.S |= sub("^CLUSTER#"; "GRANT#")' <<<"$item")
    if aws dynamodb put-item "$@" --table-name "$table" --item "$copy" \
         --condition-expression "attribute_not_exists(pk)" 2>"$errors" \
       || grep -q ConditionalCheckFailed "$errors"; then
      aws dynamodb delete-item "$@" --table-name "$table" --key "$(jq -c '{pk, sk}' <<<"$item")"
      echo "moved $(jq -r '.pk.S + " " + .sk.S' <<<"$item")"
    else
      cat "$errors" >&2
      echo "not moved (kept where it is): $(jq -r '.pk.S + " " + .sk.S' <<<"$item")" >&2
      exit 1
    fi
  done
echo "done"
