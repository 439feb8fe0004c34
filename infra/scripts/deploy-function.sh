#!/usr/bin/env bash
# Build one function with cargo-lambda (arm64 bootstrap.zip) and replace only that
# function's code; the rest of the stack is untouched. Needs a deployed stack
# (make deploy) whose template has the same functions.
#
#   infra/scripts/deploy-function.sh [--dry-run] <function>   (make deploy-function FN=<function>)
#
# Env: STACK_NAME (default: saved one, else "ecrm"), AWS_REGION, AWS_PROFILE, DRY_RUN=1.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

FN=${FN:-}
for arg in "$@"; do
  parse_common_flag "$arg" && continue
  case "$arg" in
    -h | --help)
      sed -n '2,8s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
      exit 0
      ;;
    -*) die "unknown option '$arg' (try --help)" ;;
    *) FN=$arg ;;
  esac
done

mapfile -t FUNCTIONS < <(deployable_functions)
if [ -z "$FN" ]; then
  die "which function? usage: make deploy-function FN=<name>, one of: ${FUNCTIONS[*]}"
fi
known=0
for fn in "${FUNCTIONS[@]}"; do [ "$fn" = "$FN" ] && known=1; done
if [ "$known" != 1 ]; then
  die "unknown function '$FN': choose one of: ${FUNCTIONS[*]}"
fi

need_cargo_lambda
need_aws
check_prerequisites

build_function "$FN"

# The physical name, from the stack output <Fn>FunctionName (template.yaml Outputs).
stack_output "${FN^}FunctionName" FUNCTION_NAME

# Print only the new code's hash and state: the full answer would include the
# function's environment.
run aws "${REGION_ARGS[@]}" lambda update-function-code --function-name "$FUNCTION_NAME" \
  --zip-file "fileb://target/lambda/$FN/bootstrap.zip" --architectures arm64 \
  --query '{Function:FunctionName,CodeSha256:CodeSha256,State:LastUpdateStatus}' --output table
run aws "${REGION_ARGS[@]}" lambda wait function-updated --function-name "$FUNCTION_NAME"
finish "$FN: new code is live (the next 'make deploy' uploads the same build)"
