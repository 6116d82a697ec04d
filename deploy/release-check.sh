#!/bin/bash
# The release check: follows docs/deployment.md on this machine, without systemd, from a fresh clone to
# a login page served by nginx over HTTPS, and prints each step. Run as root on a Debian 12 machine
# (it installs nginx if missing); everything it makes is under a scratch directory and its own ports,
# nothing is left running.
#
#   deploy/release-check.sh [REPOSITORY]     (default: this checkout)
#
# Differences from the guide, on purpose: PostgreSQL database `stims_release` (recreated) instead of
# `stims`, the service user is the caller, nginx runs from a scratch prefix on ports 8480/8443 with a
# self-signed certificate instead of certbot's, gunicorn on 127.0.0.1:8481.
set -euo pipefail
REPO="${1:-$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)}"
WORK="$(mktemp -d /tmp/stims-release.XXXXXX)"
chmod 755 "$WORK"   # nginx's workers (another user) read the maintenance flag and page, as under /srv/stims
HOST=stims.release.test
step() { printf '\n== %s\n' "$*"; }
cleanup() {
  [ -f "$WORK/gunicorn.pid" ] && kill "$(cat "$WORK/gunicorn.pid")" 2>/dev/null || true
  [ -f "$WORK/nginx/nginx.pid" ] && kill "$(cat "$WORK/nginx/nginx.pid")" 2>/dev/null || true
}
trap cleanup EXIT

step "1. packages: nginx $(command -v nginx >/dev/null || apt-get install -y -qq nginx >/dev/null; nginx -v 2>&1 | cut -d/ -f2)"

step "2. the code and the virtual environment (from the lock file)"
git clone -q "$REPO" "$WORK/src"
cd "$WORK/src"
npm ci --no-audit --no-fund --loglevel=error
python3 -m venv "$WORK/venv"
"$WORK/venv/bin/pip" install -q --upgrade pip
if [ -f requirements.lock ]; then "$WORK/venv/bin/pip" install -q -r requirements.lock; fi
"$WORK/venv/bin/pip" install -q "$WORK/src"
"$WORK/venv/bin/stims" --version

step "3. the settings (deploy/stims.env.example → stims.env), read the way systemd and bash both read it"
install -d -m 0750 "$WORK/data"
cp deploy/stims.env.example "$WORK/stims.env"
cat >> "$WORK/stims.env" <<ENV
SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')
ALLOWED_HOSTS=$HOST
CSRF_TRUSTED_ORIGINS=https://$HOST:8443
DATABASE_URL=postgres://postgres@127.0.0.1:5432/stims_release
STIMS_BASE_URL=https://$HOST:8443
STIMS_DATA_DIR=$WORK/data
STIMS_NODE_MODULES=$WORK/src/node_modules
ENV
"$WORK/venv/bin/python" -m stims.envfile "$WORK/stims.env"
stims() { (set -a; . "$WORK/stims.env"; exec "$WORK/venv/bin/stims" "$@"); }

step "4. PostgreSQL"
psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS stims_release" -c "CREATE DATABASE stims_release ENCODING 'UTF8'"

step "5. database, reference data, static files, checks"
stims migrate --no-input -v 0
stims load_units
stims collectstatic --no-input -v 0
stims check --deploy

step "6. the web server and the worker"
(set -a; . "$WORK/stims.env"; GUNICORN_BIND=127.0.0.1:8481 GUNICORN_WORKERS=2 \
  exec "$WORK/venv/bin/gunicorn" --config deploy/gunicorn.conf.py --pid "$WORK/gunicorn.pid" --daemon stims.wsgi:application)
stims worker --batch --no-startup-delay --interval 0 -v 0
for i in $(seq 50); do curl -fsS -o /dev/null http://127.0.0.1:8481/health/ -H "Host: $HOST" && break; sleep 0.2; done
curl -fsS http://127.0.0.1:8481/health/ -H "Host: $HOST"; echo

step "7. nginx with the site file (nginx -t), HTTPS with a self-signed certificate"
mkdir -p "$WORK/nginx/logs" "$WORK/nginx/cert"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=$HOST" \
  -keyout "$WORK/nginx/cert/privkey.pem" -out "$WORK/nginx/cert/fullchain.pem" 2>/dev/null
sed -e "s/stims.example.gov.vn/$HOST/g" \
    -e "s#/etc/letsencrypt/live/$HOST#$WORK/nginx/cert#g" \
    -e "s/listen 80/listen 8480/; s/listen \[::\]:80/listen [::]:8480/" \
    -e "s/listen 443/listen 8443/; s/listen \[::\]:443/listen [::]:8443/" \
    -e "s/listen 80 /listen 8480 /; s/listen 443 /listen 8443 /" \
    -e "s/127.0.0.1:8000/127.0.0.1:8481/" \
    -e "s#/var/log/nginx#$WORK/nginx/logs#g; s#/var/lib/stims#$WORK/data#g; s#/srv/stims/src#$WORK/src#g; s#/srv/stims/maintenance#$WORK/maintenance#g" \
    deploy/nginx/stims.conf > "$WORK/nginx/site.conf"
sed -i -e "s/listen \[::\]:80 /listen [::]:8480 /; s/listen \[::\]:443 /listen [::]:8443 /" "$WORK/nginx/site.conf"
cat > "$WORK/nginx/nginx.conf" <<NGINX
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log;
events {}
http {
  include /etc/nginx/mime.types;
  client_body_temp_path $WORK/nginx/body; proxy_temp_path $WORK/nginx/proxy;
  fastcgi_temp_path $WORK/nginx/fcgi; uwsgi_temp_path $WORK/nginx/uwsgi; scgi_temp_path $WORK/nginx/scgi;
  include $WORK/nginx/site.conf;
}
NGINX
nginx -t -q -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx"
nginx -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx"

step "8. the post-install checks"
code() { curl -ks -o /dev/null -w '%{http_code}' --resolve "$HOST:$1:127.0.0.1" "$2"; }
echo "login page over HTTPS:   $(code 8443 https://$HOST:8443/accounts/login/)  (expect 200)"
echo "HTTP redirects to HTTPS: $(code 8480 http://$HOST:8480/accounts/login/)  (expect 301)"
echo "unknown host closed:     $(curl -ks -o /dev/null -w '%{http_code}' https://127.0.0.1:8443/ || true)  (expect 000: no answer)"
echo "readiness:               $(curl -ks --resolve "$HOST:8443:127.0.0.1" https://$HOST:8443/health/ready/ | head -c 300)"
test "$(code 8443 https://$HOST:8443/accounts/login/)" = 200
test "$(code 8480 http://$HOST:8480/accounts/login/)" = 301

step "9. maintenance page on and off"
STIMS_MAINTENANCE_FLAG="$WORK/maintenance" deploy/maintenance.sh on
echo "during maintenance:      $(code 8443 https://$HOST:8443/accounts/login/)  (expect 503)"
test "$(code 8443 https://$HOST:8443/accounts/login/)" = 503
STIMS_MAINTENANCE_FLAG="$WORK/maintenance" deploy/maintenance.sh off
test "$(code 8443 https://$HOST:8443/accounts/login/)" = 200

step "10. backup"
stims backup | tail -1

printf '\nRelease check passed (%s).\n' "$WORK"
