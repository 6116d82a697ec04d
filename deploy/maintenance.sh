#!/bin/sh
# Maintenance page on or off: nginx answers every request with deploy/maintenance/index.html (503,
# Retry-After) while the flag file exists. Use it around a migration that locks tables (docs/deployment.md §10).
#   deploy/maintenance.sh on | off | status
set -eu
# Outside /var/lib/stims (0750, the service user only): nginx must be able to see the flag.
FLAG="${STIMS_MAINTENANCE_FLAG:-/srv/stims/maintenance}"
case "${1:-status}" in
  on) touch "$FLAG"; echo "maintenance on ($FLAG)";;
  off) rm -f "$FLAG"; echo "maintenance off";;
  status) if [ -f "$FLAG" ]; then echo "maintenance on"; else echo "maintenance off"; fi;;
  *) echo "usage: $0 on|off|status" >&2; exit 2;;
esac
