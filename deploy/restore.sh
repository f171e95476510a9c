#!/usr/bin/env bash
# Restore a database dump made by backup.sh into an EMPTY database, then bring its schema
# up to the code's migrations. Usage: DATABASE_URL=<empty database> deploy/restore.sh DUMP
set -euo pipefail
dump=${1:?usage: restore.sh DUMP}
: "${DATABASE_URL:?set DATABASE_URL to an empty database}"
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction --dbname="$DATABASE_URL" "$dump"
python manage.py migrate --noinput
