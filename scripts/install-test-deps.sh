#!/usr/bin/env bash
# System packages the test suite uses, installed from Debian's archive when missing:
#   - the ShellCheck binary: the optional ShellCheck pass is tested against it;
#   - docker-registry: the registry client is tested against a real OCI registry (distribution 2.8);
#   - openssl: makes the self-signed certificate of the test registry's token server;
#   - umoci: builds the real OCI images the registry tests push (an OCI layout, a tiny rootfs);
#   - skopeo: pushes them (`skopeo copy oci:… docker://127.0.0.1:…`) and inspects what the registry serves.
# As root the missing ones are installed with apt-get; otherwise the exact command is printed and the
# script fails, so a run never goes on without them.
set -euo pipefail
missing=()
command -v shellcheck >/dev/null 2>&1 || missing+=(shellcheck)
command -v docker-registry >/dev/null 2>&1 || missing+=(docker-registry)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
command -v umoci >/dev/null 2>&1 || missing+=(umoci)
command -v skopeo >/dev/null 2>&1 || missing+=(skopeo)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-test-deps: missing ${missing[*]}; as root, run:" >&2
    echo "  apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null; }; then
    echo "install-test-deps: apt-get could not install ${missing[*]}; run:" >&2
    echo "  apt-get update && apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi
bash "$(dirname "$0")/install-node24.sh"
echo "install-test-deps: shellcheck $(shellcheck --version | sed -n 's/^version: //p')"
echo "install-test-deps: docker-registry $(docker-registry --version 2>/dev/null | awk '{print $NF}')"
echo "install-test-deps: umoci $(umoci --version 2>/dev/null | awk '{print $NF}')"
echo "install-test-deps: skopeo $(skopeo --version 2>/dev/null | awk '{print $NF}')"
