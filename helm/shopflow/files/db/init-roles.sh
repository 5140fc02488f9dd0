#!/usr/bin/env bash
# Creates ShopFlow's per-service database roles (roles.sql beside this script, or $SHOPFLOW_ROLES_SQL)
# and sets each one's password from SHOPFLOW_DB_PASSWORD_<SERVICE> (GENERATOR, INGESTION, TRANSFORM,
# QUALITY, ANALYTICS), and the BI tools' read-only role shopflow_bi's from SHOPFLOW_DB_PASSWORD_BI (optional).
# Safe to run again. Needs psql 15 or newer.
# - The chart's PostgreSQL runs it at first init from /docker-entrypoint-initdb.d (POSTGRES_USER and
#   POSTGRES_DB are set there).
# - An external database: run it once as a superuser before installing, with psql's variables, e.g.
#   PGHOST=db.example PGUSER=postgres PGDATABASE=shopflow SHOPFLOW_DB_PASSWORD_INGESTION=... ./init-roles.sh
set -euo pipefail
sql=${SHOPFLOW_ROLES_SQL:-$(dirname "$0")/roles.sql}
args=(-v ON_ERROR_STOP=1 --no-psqlrc --quiet)
if [ -n "${POSTGRES_USER:-}" ]; then
  args+=(--username "$POSTGRES_USER" --dbname "${POSTGRES_DB:-$POSTGRES_USER}")
fi
for service in generator ingestion transform quality analytics; do
  var=SHOPFLOW_DB_PASSWORD_${service^^}
  if [ -z "${!var:-}" ]; then
    echo "init-roles: $var is not set" >&2
    exit 1
  fi
done
psql "${args[@]}" -f "$sql"
for service in generator ingestion transform quality analytics bi; do
  var=SHOPFLOW_DB_PASSWORD_${service^^}
  if [ "$service" = bi ] && [ -z "${!var:-}" ]; then
    # optional: without it the BI role exists but cannot log in
    echo "init-roles: SHOPFLOW_DB_PASSWORD_BI is not set: shopflow_bi cannot log in until it has a password" >&2
    continue
  fi
  # psql reads the password from the environment (\getenv, psql 15+) and quotes it (:'pw'): it is never
  # on a command line, in a file or in a log
  psql "${args[@]}" <<SQL
\getenv pw $var
ALTER ROLE shopflow_$service PASSWORD :'pw';
SQL
done
echo "init-roles: roles shopflow_{generator,ingestion,transform,quality,analytics,bi} ready"
