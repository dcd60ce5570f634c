#!/usr/bin/env bash
# The connection settings the tests and a distributed Sluice (deploy/local/sluice.yaml) read, matching
# versions.env: the one set of variable names for both.
# Values already in the environment win, so a CI job can point tests elsewhere.
#
#   eval "$(deploy/local/env.sh)"     # or:  source deploy/local/env.sh
#   deploy/local/env.sh               # just print them

# Sourced: run as a child (so the helpers don't leak into the caller's shell) and apply
# what it prints.
if (return 0 2>/dev/null); then
  eval "$(bash "${BASH_SOURCE[0]}")"
  return 0
fi
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/lib/common.sh"
source "$here/lib/postgres.sh"

emit() { printf 'export %s=%q\n' "$1" "${!1:-$2}"; }

emit SLUICE_KAFKA_BROKERS "127.0.0.1:$KAFKA_PORT"
emit SLUICE_OPENSEARCH_URL "http://127.0.0.1:$OPENSEARCH_PORT"
emit SLUICE_PG_URL "$(postgres_url)"
emit SLUICE_S3_ENDPOINT "http://127.0.0.1:$S3PROXY_PORT"
emit SLUICE_S3_ACCESS_KEY "$S3_ACCESS_KEY"
emit SLUICE_S3_SECRET_KEY "$S3_SECRET_KEY"
emit SLUICE_S3_REGION "$S3_REGION"
emit SLUICE_S3_BUCKET "$S3_BUCKET"
