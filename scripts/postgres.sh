#!/usr/bin/env bash
# Install (Debian's package), start and prepare a local PostgreSQL for the test suite; prints its URL.
# Used by .ci/run; safe to run again.
set -euo pipefail
# Everything but the final URL goes to stderr, so callers can read stdout as the URL.
exec 3>&1 1>&2
if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
ver=$(ls /usr/lib/postgresql | sort -V | tail -1)
if ! pg_lsclusters -h | grep -q "^$ver main"; then
  pg_createcluster "$ver" main >/dev/null
fi
pg_ctlcluster "$ver" main start || true
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 && break
  sleep 1
done
pg_isready -q -h 127.0.0.1
su postgres -c "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='kurultai'\"" | grep -q 1 \
  || su postgres -c "psql -qc \"CREATE ROLE kurultai LOGIN PASSWORD 'kurultai' CREATEDB\""
su postgres -c "psql -qtAc \"SELECT 1 FROM pg_database WHERE datname='kurultai_test'\"" | grep -q 1 \
  || su postgres -c "createdb -O kurultai kurultai_test"
echo "postgresql://kurultai:kurultai@127.0.0.1:5432/kurultai_test" >&3
