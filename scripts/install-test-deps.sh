#!/usr/bin/env bash
# System packages the test suite uses, installed from Debian's archive when missing:
#   shellcheck — the optional ShellCheck pass is tested against the real binary.
set -euo pipefail
missing=()
command -v shellcheck >/dev/null 2>&1 || missing+=(shellcheck)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-test-deps: please install: ${missing[*]}" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
echo "install-test-deps: shellcheck $(shellcheck --version | sed -n 's/^version: //p')"
