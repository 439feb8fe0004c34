#!/usr/bin/env bash
# Deploy the whole stack: build every function's bootstrap.zip (cargo-lambda, arm64),
# then `sam deploy` infra/template.yaml. The first time (no infra/samconfig.toml) the
# deploy is guided: SAM asks for the stack name, region and parameters and saves the
# answers in infra/samconfig.toml for later runs.
#
#   infra/scripts/deploy.sh [--dry-run] [--guided]     (make deploy [DRY_RUN=1])
#
# Env: STACK_NAME (default: saved one, else "ecrm"), AWS_REGION, AWS_PROFILE, DRY_RUN=1.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

GUIDED=0
for arg in "$@"; do
  parse_common_flag "$arg" && continue
  case "$arg" in
    --guided) GUIDED=1 ;;
    -h | --help)
      sed -n '2,10s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
      exit 0
      ;;
    *) die "unknown argument '$arg' (try --help)" ;;
  esac
done
[ -f "$SAMCONFIG" ] || GUIDED=1

need_cargo_lambda
need_sam
need_aws
check_prerequisites

if [ "$GUIDED" = 1 ] && [ "$DRY_RUN" != 1 ] && [ ! -t 0 ]; then
  die "the first deploy is guided (no $SAMCONFIG yet) and needs a terminal: run 'make deploy' interactively once"
fi

mapfile -t FUNCTIONS < <(deployable_functions)
[ "${#FUNCTIONS[@]}" -gt 0 ] || die "no functions found in $TEMPLATE"
for fn in "${FUNCTIONS[@]}"; do
  build_function "$fn"
done

# sam runs next to the template: CodeUri paths are relative to it and the guided deploy
# saves samconfig.toml there. A CodeUri naming a .zip is uploaded as it is.
if [ "$GUIDED" = 1 ]; then
  run_in infra sam deploy --guided --template-file template.yaml --stack-name "$STACK_NAME" \
    "${REGION_ARGS[@]}" --capabilities CAPABILITY_IAM
else
  run_in infra sam deploy --template-file template.yaml --config-file samconfig.toml \
    --no-fail-on-empty-changeset
fi

# The catalog (infra/catalog.json) into the deployed table; overwriting by SKU, so every
# deploy brings the table up to date with the file.
stack_output TableName TABLE_NAME
run cargo run --quiet --release -p ecrm-runner -- seed-catalog "$TABLE_NAME"

# The recommendation lists: fitted from the first half of the purchase log (read here,
# never uploaded) and the events recorded in the table, written over the old ones.
RECS_LOG=${ECRM_RECS_LOG:-../shared/data/online-retail/online-retail-2010-12-01-to-2011-07-20.csv.gz}
run cargo run --quiet --release -p ecrm-runner -- rebuild-recs "$TABLE_NAME" "$RECS_LOG"

run aws "${REGION_ARGS[@]}" cloudformation describe-stacks --stack-name "$STACK_NAME" \
  --query 'Stacks[0].Outputs[].[OutputKey,OutputValue]' --output table
finish "next: 'make deploy-site' uploads the site (the stack starts with an empty bucket)"
