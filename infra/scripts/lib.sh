# shellcheck shell=bash
# Shared by the deploy scripts (sourced, not run): dry run, prerequisite checks, stack
# name and region, stack output look-ups. Nothing here prints a credential: commands are
# echoed as typed, and the identity check's answer is thrown away.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"

TEMPLATE=infra/template.yaml
SAMCONFIG=infra/samconfig.toml

# DRY_RUN=1 (or --dry-run, see parse_common_flag) prints every command that would
# change or read AWS instead of running it; it needs no AWS tools or credentials.
DRY_RUN=${DRY_RUN:-0}
case "$DRY_RUN" in 1 | true | yes) DRY_RUN=1 ;; *) DRY_RUN=0 ;; esac

# The closing message of a real run; a dry run ends with a reminder instead.
finish() {
  if [ "$DRY_RUN" = 1 ]; then say "dry run: the commands above were printed, not run"; else say "$*"; fi
}

say() { printf '%s\n' "$*" >&2; }
die() {
  say "error: $*"
  exit 1
}

# Returns 0 (and sets DRY_RUN) for --dry-run, 1 for anything else.
parse_common_flag() {
  case "$1" in
    --dry-run | -n) DRY_RUN=1 ;;
    *) return 1 ;;
  esac
}

# A command line as one could paste it: words quoted only when they need it.
quote_words() {
  local out="" word
  for word in "$@"; do
    if [[ "$word" =~ ^[A-Za-z0-9_./:=,@%+-]+$ ]]; then
      out+=" $word"
    elif [[ "$word" != *"'"* ]]; then
      out+=" '$word'"
    elif [[ "$word" != *[\"\$\`\\!]* ]]; then
      out+=" \"$word\""
    else
      out+=" '${word//\'/\'\\\'\'}'"
    fi
  done
  printf '%s' "${out# }"
}

# run CMD...: print it ("+ CMD"), then run it unless this is a dry run.
run() {
  printf '+ %s\n' "$(quote_words "$@")"
  if [ "$DRY_RUN" = 1 ]; then return 0; fi
  "$@"
}

# run_in DIR CMD...: the same, in DIR.
run_in() {
  local dir=$1
  shift
  printf '+ (cd %s && %s)\n' "$dir" "$(quote_words "$@")"
  if [ "$DRY_RUN" = 1 ]; then return 0; fi
  (cd "$dir" && "$@")
}

# The functions deployed: the CodeUri of each AWS::Serverless::Function in the template
# (tests/tests/infra_template.rs holds the template to routes::FUNCTIONS).
deployable_functions() {
  sed -n 's|^ *CodeUri: \.\./target/lambda/\([a-z0-9_-]*\)/bootstrap\.zip *$|\1|p' "$TEMPLATE"
}

samconfig_value() {
  [ -f "$SAMCONFIG" ] || return 0
  sed -n "s/^$1 *= *\"\\(.*\\)\"/\\1/p" "$SAMCONFIG" | head -n 1
}

# Stack name: STACK_NAME, else the one `sam deploy --guided` saved, else "ecrm".
STACK_NAME=${STACK_NAME:-$(samconfig_value stack_name)}
STACK_NAME=${STACK_NAME:-ecrm}
# Region: AWS_REGION, AWS_DEFAULT_REGION, the saved one; else the AWS CLI's own default.
REGION=${AWS_REGION:-${AWS_DEFAULT_REGION:-$(samconfig_value region)}}
REGION_ARGS=()
if [ -n "$REGION" ]; then REGION_ARGS=(--region "$REGION"); fi

# Prerequisites -------------------------------------------------------------------------
MISSING=()

need() { # need TOOL HOW-TO-INSTALL
  command -v "$1" >/dev/null 2>&1 || MISSING+=("$1: $2")
}
need_aws() { need aws "AWS CLI (pip install awscli, or AWS CLI v2 from AWS's installer)"; }
need_sam() { need sam "AWS SAM CLI (pip install aws-sam-cli)"; }
need_cargo_lambda() {
  need cargo "Rust (rustup)"
  need cargo-lambda "pip install cargo-lambda (its wheel brings zig)"
}

# Stop with every missing piece listed; in a dry run, only mention them.
check_prerequisites() {
  if [ "${#MISSING[@]}" -gt 0 ]; then
    if [ "$DRY_RUN" = 1 ]; then
      say "dry run: a real run would also need:"
      printf '  - %s\n' "${MISSING[@]}" >&2
    else
      say "error: missing prerequisites:"
      printf '  - %s\n' "${MISSING[@]}" >&2
      exit 1
    fi
  fi
  if [ "$DRY_RUN" = 1 ]; then
    say "dry run: nothing is built, uploaded or changed; AWS credentials are not checked"
    return 0
  fi
  # Only whether credentials work; the identity itself is not printed.
  if ! aws "${REGION_ARGS[@]}" sts get-caller-identity --query Account --output text >/dev/null 2>&1; then
    die "no working AWS credentials: run 'aws configure' or 'aws configure sso' (then 'aws sso login'), or export AWS_PROFILE; set AWS_REGION if no default region is configured"
  fi
}

# stack_output KEY VAR: set VAR to the stack's output KEY.
stack_output() {
  local key=$1 var=$2 value
  local query="Stacks[0].Outputs[?OutputKey=='$key'].OutputValue"
  if [ "$DRY_RUN" = 1 ]; then
    printf '+ %s\n' "$(quote_words aws "${REGION_ARGS[@]}" cloudformation describe-stacks \
      --stack-name "$STACK_NAME" --query "$query" --output text)"
    printf -v "$var" '%s' "<$key>"
    return 0
  fi
  value=$(aws "${REGION_ARGS[@]}" cloudformation describe-stacks --stack-name "$STACK_NAME" \
    --query "$query" --output text) ||
    die "cannot read stack '$STACK_NAME' (deploy it first with 'make deploy', or set STACK_NAME / AWS_REGION)"
  if [ -z "$value" ] || [ "$value" = None ]; then
    die "stack '$STACK_NAME' has no output $key: deploy the current template with 'make deploy'"
  fi
  printf -v "$var" '%s' "$value"
}

# Build one function's bootstrap.zip for Lambda (arm64) with cargo-lambda.
build_function() {
  local fn=$1
  if [ "$DRY_RUN" != 1 ] && command -v rustup >/dev/null 2>&1 &&
    ! rustup target list --installed | grep -qx aarch64-unknown-linux-gnu; then
    run rustup target add aarch64-unknown-linux-gnu
  fi
  run cargo lambda build --release --arm64 --output-format zip -p "$fn" --bin "$fn"
  if [ "$DRY_RUN" != 1 ] && [ ! -f "target/lambda/$fn/bootstrap.zip" ]; then
    die "cargo lambda build did not produce target/lambda/$fn/bootstrap.zip"
  fi
}
