#!/bin/sh
# First start: initdb (password authentication over the network; the local socket, inside the
# container only, trusts as in the public image), the database with PostGIS.
# Then PostgreSQL runs in the foreground as PID 1 (SIGINT = fast shutdown).
set -eu
: "${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}"
USER_NAME=${POSTGRES_USER:-postgres}
DB=${POSTGRES_DB:-$USER_NAME}
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  pwfile=$(mktemp)
  printf '%s\n' "$POSTGRES_PASSWORD" >"$pwfile"
  initdb -D "$PGDATA" -U "$USER_NAME" --pwfile="$pwfile" -E UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  rm -f "$pwfile"
  printf 'host all all 0.0.0.0/0 scram-sha-256\nhost all all ::/0 scram-sha-256\n' >>"$PGDATA/pg_hba.conf"
  pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start >/dev/null
  [ "$DB" = postgres ] || createdb -U "$USER_NAME" "$DB"
  psql -v ON_ERROR_STOP=1 -qU "$USER_NAME" -d "$DB" -c "CREATE EXTENSION IF NOT EXISTS postgis"
  pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
  echo "postgres-entrypoint: initialised $DB (owner $USER_NAME) with PostGIS"
fi
exec postgres -D "$PGDATA" -c listen_addresses='*'
