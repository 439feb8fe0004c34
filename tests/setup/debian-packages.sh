#!/usr/bin/env bash
# Debian packages the build and the tests need, installed only where missing:
#
#   tests/setup/debian-packages.sh chromium chromium-driver python3-venv npm curl gcc
#
# Each package is checked by what it provides (chromium-driver: `chromedriver` on PATH;
# python3-venv: `python3 -m venv` works; gcc: `cc`; the others: the command of that
# name). Nothing missing: prints nothing, exits 0 (quick). Missing ones are installed
# with `apt-get install -y` as root or through sudo; without either, one line with the
# exact command to run, and exit 1.
set -euo pipefail

have() {
    case "$1" in
        chromium-driver) command -v chromedriver >/dev/null 2>&1 ;;
        python3-venv) python3 -c 'import ensurepip, venv' >/dev/null 2>&1 ;;
        gcc) command -v cc >/dev/null 2>&1 ;;
        *) command -v "$1" >/dev/null 2>&1 ;;
    esac
}

missing=()
for package in "$@"; do
    have "$package" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

command="apt-get install -y ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
    sudo=()
elif command -v sudo >/dev/null 2>&1 && { sudo -n true 2>/dev/null || [ -t 0 ]; }; then
    sudo=(sudo)
else
    echo "missing ${missing[*]}: run \`sudo $command\` (or as root), then run make again" >&2
    exit 1
fi

echo "== installing Debian packages: ${sudo[*]:+sudo }$command"
export DEBIAN_FRONTEND=noninteractive
# Package lists never fetched (a fresh image), or too old to know a package: update.
if ! compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null; then
    "${sudo[@]}" apt-get update
fi
if ! "${sudo[@]}" apt-get install -y "${missing[@]}"; then
    "${sudo[@]}" apt-get update
    "${sudo[@]}" apt-get install -y "${missing[@]}"
fi
