#!/usr/bin/env bash
# Installs Deno 2 from the npm registry (package `deno`) into the cache, for the test that runs Sluice
# under Deno, and prints the path of its binary. Safe to run twice; uses what is already there.
set -euo pipefail
version="${DENO_VERSION:-2.9.6}"
dir="${SLUICE_CACHE:-$HOME/.cache/sluice}/deno-$version"
bin="$dir/node_modules/.bin/deno"
if [ ! -x "$bin" ]; then
  echo "installing deno@$version from the npm registry into $dir" >&2
  # `npm install`, not a devDependency: the registry lacks some of deno's other-platform packages,
  # which would make `npm ci` refuse the lock file.
  npm install --no-save --no-audit --no-fund --loglevel=error --prefix "$dir" "deno@$version" >&2
fi
"$bin" --version >&2
echo "$bin"
