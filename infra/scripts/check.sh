#!/usr/bin/env bash
# Offline checks of the deploy (make infra-check): cfn-lint on the template, the deploy
# scripts' syntax (and shellcheck when installed), and every script's dry run. Needs no
# AWS credentials, SAM CLI or network.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

command -v cfn-lint >/dev/null 2>&1 || {
  echo "error: cfn-lint not found: pip install cfn-lint" >&2
  exit 1
}
echo "== cfn-lint infra/template.yaml"
cfn-lint infra/template.yaml

echo "== bash -n infra/scripts/*.sh"
for script in infra/scripts/*.sh; do bash -n "$script"; done
if command -v shellcheck >/dev/null 2>&1; then
  echo "== shellcheck infra/scripts/*.sh"
  shellcheck -x infra/scripts/*.sh
fi

# Dry runs with a fixed stack name and region, so the output does not depend on the
# caller's environment or on a saved samconfig.toml.
export STACK_NAME=ecrm AWS_REGION=eu-west-1 DRY_RUN=1
for step in "deploy.sh" "deploy-function.sh quotes" "deploy-site.sh" "destroy.sh"; do
  echo "== dry run: infra/scripts/$step"
  # shellcheck disable=SC2086 # the step is a script and its arguments
  bash infra/scripts/$step 2>&1
done

echo "== an unknown function is refused"
if out=$(bash infra/scripts/deploy-function.sh nope 2>&1); then
  echo "error: deploy-function.sh accepted an unknown function" >&2
  exit 1
fi
grep -q "unknown function 'nope'" <<<"$out" || {
  echo "error: unexpected message: $out" >&2
  exit 1
}
echo "$out"
echo "infra-check: ok"
