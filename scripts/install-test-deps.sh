#!/usr/bin/env bash
# System packages the test suite uses, installed from Debian's archive when missing:
#   - the ShellCheck binary: the optional ShellCheck pass is tested against it;
#   - docker-registry: the registry client is tested against a real OCI registry (distribution 2.8);
#   - openssl: makes the self-signed certificate of the test registry's token server.
set -euo pipefail
missing=()
command -v shellcheck >/dev/null 2>&1 || missing+=(shellcheck)
command -v docker-registry >/dev/null 2>&1 || missing+=(docker-registry)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-test-deps: please install: ${missing[*]}" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
echo "install-test-deps: shellcheck $(shellcheck --version | sed -n 's/^version: //p')"
echo "install-test-deps: docker-registry $(docker-registry --version 2>/dev/null | awk '{print $NF}')"
