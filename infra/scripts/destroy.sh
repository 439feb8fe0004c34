#!/usr/bin/env bash
# Delete the stack: empty the site bucket (CloudFormation cannot delete a bucket with
# objects in it), delete the stack and wait. The DynamoDB table is KEPT (DeletionPolicy
# Retain, deletion protection on): customer data is never deleted by accident. The
# script prints how to delete it too.
#
#   infra/scripts/destroy.sh [--dry-run] [--yes]     (make destroy [DRY_RUN=1] [YES=1])
#
# Env: STACK_NAME (default: saved one, else "ecrm"), AWS_REGION, AWS_PROFILE, DRY_RUN=1, YES=1.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

YES=${YES:-0}
for arg in "$@"; do
  parse_common_flag "$arg" && continue
  case "$arg" in
    --yes | -y) YES=1 ;;
    -h | --help)
      sed -n '2,10s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
      exit 0
      ;;
    *) die "unknown argument '$arg' (try --help)" ;;
  esac
done

need_aws
check_prerequisites

if [ "$DRY_RUN" != 1 ] && [ "$YES" != 1 ]; then
  [ -t 0 ] || die "refusing to delete stack '$STACK_NAME' without a terminal: pass YES=1 (make destroy YES=1)"
  read -r -p "Delete stack '$STACK_NAME' and its site, API and functions? Type the stack name: " answer
  [ "$answer" = "$STACK_NAME" ] || die "not confirmed; nothing deleted"
fi

stack_output SiteBucket BUCKET
stack_output TableName TABLE

run aws "${REGION_ARGS[@]}" s3 rm "s3://$BUCKET" --recursive --only-show-errors
run aws "${REGION_ARGS[@]}" cloudformation delete-stack --stack-name "$STACK_NAME"
run aws "${REGION_ARGS[@]}" cloudformation wait stack-delete-complete --stack-name "$STACK_NAME"

finish "stack '$STACK_NAME' deleted."
say "Kept: table '$TABLE' (customer data). To delete it too:"
say "  $(quote_words aws "${REGION_ARGS[@]}" dynamodb update-table --table-name "$TABLE" --no-deletion-protection-enabled)"
say "  $(quote_words aws "${REGION_ARGS[@]}" dynamodb delete-table --table-name "$TABLE")"
say "Also kept: the SAM artifact bucket (aws-sam-cli-managed-default), shared by your SAM stacks."
