#!/usr/bin/env bash
# Install (Debian's package), start and prepare a local PostgreSQL for the test suite; prints its URL.
# Used by .ci/run; safe to run again.
#
# Only the URL goes to stdout. Nothing this script starts may keep the caller's stdout or stderr
# open: a caller reading them through a pipe (`url=$(bash scripts/postgres.sh)`, a CI harness)
# would otherwise wait for EOF for as long as PostgreSQL runs. So every command that can leave a
# daemon behind runs with stdin, stdout and stderr on a log file and fd 3 closed.
set -euo pipefail
log=/tmp/kurultai-postgres.log
: >"$log"
exec 3>&1 1>&2

detached() { "$@" </dev/null >>"$log" 2>&1 3>&-; }

if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  detached apt-get update -qq || { echo "apt-get update failed: $(tail -n 3 "$log")"; exit 1; }
  DEBIAN_FRONTEND=noninteractive detached apt-get install -y -qq postgresql \
    || { echo "apt-get install postgresql failed: $(tail -n 3 "$log")"; exit 1; }
fi
ver=$(ls /usr/lib/postgresql | sort -V | tail -1)
if ! pg_lsclusters -h | grep -q "^$ver main"; then
  detached pg_createcluster "$ver" main
fi
detached pg_ctlcluster "$ver" main start || echo "pg_ctlcluster start: $(tail -n 3 "$log")"
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 && break
  sleep 1
done
pg_isready -q -h 127.0.0.1 || { echo "PostgreSQL did not start: $(tail -n 5 "$log")"; exit 1; }
su postgres -c "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='kurultai'\"" 3>&- | grep -q 1 \
  || su postgres -c "psql -qc \"CREATE ROLE kurultai LOGIN PASSWORD 'kurultai' CREATEDB\"" 3>&-
su postgres -c "psql -qtAc \"SELECT 1 FROM pg_database WHERE datname='kurultai_test'\"" 3>&- | grep -q 1 \
  || su postgres -c "createdb -O kurultai kurultai_test" 3>&-
echo "postgresql://kurultai:kurultai@127.0.0.1:5432/kurultai_test" >&3
