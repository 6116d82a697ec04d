#!/usr/bin/env bash
# API fuzzing, the long run: schemathesis against a live STIMS (gunicorn on loopback) over a fresh
# PostgreSQL database with the demo data, authenticated as the demo department leader.
#
#   bench/fuzz_api.sh                  # about 3,000 requests (MAX_EXAMPLES=12 per operation)
#   MAX_EXAMPLES=3 bench/fuzz_api.sh   # a quicker try
#
# Fails (non-zero exit) on any 5xx, any response whose body or content type breaks the schema, any
# schema error, any traceback in the server's log. (Status codes are not checked against the schema:
# the schema does not list 400/401/403/404 for every operation.) Drops its database and data directory on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

PORT=${PORT:-8765}
DB=${FUZZ_DB:-stims_fuzz_$$}
PGURL=${PGURL:-postgres://postgres@127.0.0.1:5432}
MAX_EXAMPLES=${MAX_EXAMPLES:-12}
SEED=${SEED:-2026}
DATA_DIR=$(mktemp -d -t stims-fuzz-XXXXXX)
export DATABASE_URL="$PGURL/$DB" STIMS_DATA_DIR="$DATA_DIR" DEBUG=1
# The fuzzer sends far more than an integrator would; the limits are tested elsewhere.
export STIMS_API_RATE_USER=1000000/minute STIMS_API_RATE_ANON=1000000/minute
STIMS=.venv/bin/stims
SERVER_PID=

cleanup() {
  if [[ -n $SERVER_PID ]]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  psql "$PGURL/postgres" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$DATA_DIR"
}
trap cleanup EXIT

psql "$PGURL/postgres" -qc "CREATE DATABASE $DB" >/dev/null
start=$(date +%s)
$STIMS migrate --no-input -v 0
$STIMS load_units -v 0
$STIMS demo -v 0 >/dev/null
KEY=$($STIMS shell -v 0 -c "
from stims.accounts.models import ApiToken, User
print(ApiToken.issue(User.objects.get(username='lanhdao'), name='fuzz')[1])")
echo "database $DB ready in $(( $(date +%s) - start )) s"

.venv/bin/gunicorn stims.wsgi:application --bind 127.0.0.1:$PORT --workers 2 --timeout 120 \
  --access-logfile /dev/null --error-logfile "$DATA_DIR/gunicorn.log" 2>"$DATA_DIR/django.log" &
SERVER_PID=$!

start=$(date +%s)
set +e
.venv/bin/schemathesis run "http://127.0.0.1:$PORT/api/schema/" --wait-for-schema 60 \
  -H "Authorization: Token $KEY" \
  --checks not_a_server_error,response_schema_conformance,content_type_conformance \
  --max-examples "$MAX_EXAMPLES" --seed "$SEED" --phases examples,coverage,fuzzing --workers 2 \
  --generation-database none --request-timeout 60 --no-color \
  "$@"
status=$?
set -e
elapsed=$(( $(date +%s) - start ))
echo "schemathesis exit $status in ${elapsed} s"
if grep -q "Traceback" "$DATA_DIR/gunicorn.log" "$DATA_DIR/django.log"; then
  echo "server log has tracebacks:"; grep -h "^[A-Za-z_.]*\(Error\|Exception\): " "$DATA_DIR/gunicorn.log" "$DATA_DIR/django.log" | cut -c1-300 | sort | uniq -c
  status=1
fi
exit $status
