#!/usr/bin/env bash
# Build the site (make site), sync site/public to the stack's bucket (deleting what is
# no longer built) and invalidate CloudFront so the new pages are served at once.
#
#   infra/scripts/deploy-site.sh [--dry-run]     (make deploy-site [DRY_RUN=1])
#
# Env: STACK_NAME (default: saved one, else "ecrm"), AWS_REGION, AWS_PROFILE, DRY_RUN=1.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

for arg in "$@"; do
  parse_common_flag "$arg" && continue
  case "$arg" in
    -h | --help)
      sed -n '2,7s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
      exit 0
      ;;
    *) die "unknown argument '$arg' (try --help)" ;;
  esac
done

need make "GNU make"
need_aws
check_prerequisites

run make site
if [ "$DRY_RUN" != 1 ] && [ ! -f site/public/index.html ]; then
  die "make site did not produce site/public/index.html"
fi

stack_output SiteBucket BUCKET
stack_output DistributionId DISTRIBUTION
stack_output SiteUrl SITE_URL

run aws "${REGION_ARGS[@]}" s3 sync site/public "s3://$BUCKET" --delete --only-show-errors
# One wildcard path counts as one invalidation path (1,000 a month are free).
run aws cloudfront create-invalidation --distribution-id "$DISTRIBUTION" --paths '/*' \
  --query Invalidation.Id --output text
finish "site deployed: $SITE_URL (the invalidation takes a minute or two)"
