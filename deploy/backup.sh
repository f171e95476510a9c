#!/usr/bin/env bash
# Back up Backbone: the PostgreSQL database (pg_dump, custom format) and, with S3_BUCKET
# set, the object store's files. Usage: DATABASE_URL=... deploy/backup.sh BACKUP_DIR
# The files of a bucket are copied with the AWS CLI or MinIO's `mc` where installed; any
# S3 tool that mirrors a bucket will do (see README, "Backups and restore").
set -euo pipefail
target=${1:?usage: backup.sh BACKUP_DIR}
: "${DATABASE_URL:?set DATABASE_URL}"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$target"
pg_dump --format=custom --no-owner --no-privileges --file="$target/backbone-$stamp.dump" "$DATABASE_URL"
echo "database: $target/backbone-$stamp.dump"
if [ -n "${S3_BUCKET:-}" ]; then
  if command -v aws >/dev/null; then
    aws s3 sync ${S3_ENDPOINT_URL:+--endpoint-url "$S3_ENDPOINT_URL"} "s3://$S3_BUCKET" "$target/files-$stamp"
    echo "files: $target/files-$stamp"
  else
    echo "files: install the AWS CLI (or use your provider's bucket versioning/replication)" >&2
  fi
elif [ -d "${MEDIA_ROOT:-}" ]; then
  tar -C "$MEDIA_ROOT" -czf "$target/media-$stamp.tar.gz" .
  echo "files: $target/media-$stamp.tar.gz"
fi
