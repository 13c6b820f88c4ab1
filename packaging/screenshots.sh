#!/usr/bin/env bash
# screenshots.sh BIN OUTDIR [CLIENTS] — renders each main screen of the real
# program under Xvfb (Mesa's software OpenGL) on a Russian demo database and
# writes one PNG per screen to OUTDIR. Used by `make screenshots`.
set -euo pipefail
bin=$(realpath "$1"); out=$2; clients=${3:-20000}
mkdir -p "$out"
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

# The demo database is kept between runs; it is made again when the number of
# clients, the demo generator or the schema changes.
db="$out/../screenshots.db"
here=$(dirname "$0")/..
key="$clients $(cat "$here"/app/demo/*.go "$here"/db/migrations/*.sql "$here"/db/bulk.go "$here"/app/import.go "$here"/app/catalogue.go | sha1sum | cut -c1-12)"
if [ ! -f "$db" ] || [ "$(cat "$db.key" 2>/dev/null)" != "$key" ]; then
  rm -f "$db" "$db-wal" "$db-shm" "$db.clients"
  "$bin" demo --db "$db" --clients "$clients" --seed 7
  echo "$key" > "$db.key"
fi

display=:$((90 + RANDOM % 100))
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
for _ in $(seq 50); do xdpyinfo -display "$display" >/dev/null 2>&1 && break; sleep 0.1; done
export DISPLAY=$display
# A clean preferences folder so the language follows LANG, as on a new install.
export XDG_CONFIG_HOME="$work/config" HOME="$work"
export LANG=ru_RU.UTF-8 LANGUAGE=ru
export LIBGL_ALWAYS_SOFTWARE=1

# The till's camera preview is fed by a demo camera showing the card of the
# busiest guest as a QR code, so the camera identifies them.
card=$(sqlite3 "$db" "SELECT i.value FROM client_identifiers i JOIN clients c ON c.id = i.client_id
  WHERE i.deleted_at IS NULL AND c.deleted_at IS NULL AND c.blocked = 0 AND i.media = 'card'
  ORDER BY c.visits DESC LIMIT 1" 2>/dev/null || true)

for screen in clients client-new client-edit client-error settings client-page clients-filtered till till-camera client-bonus catalogue programs audit groups rules outbox client-loyalty devices card-design; do
  args=()
  if [ "$screen" = till-camera ]; then args=(--fake-camera "${card:-LC-0001234567}"); fi
  "$bin" --db "$db" --screen "$screen" "${args[@]}" >"$work/$screen.log" 2>&1 &
  pid=$!
  win=""
  for _ in $(seq 100); do
    win=$(xdotool search --name '^LoyaltyDesk' 2>/dev/null | head -1 || true)
    [ -n "$win" ] && break
    sleep 0.2
  done
  if [ -z "$win" ]; then
    echo "screenshots: the window for $screen did not appear; log:" >&2
    cat "$work/$screen.log" >&2
    exit 1
  fi
  sleep 3 # first frames, data load, dialogs
  import -window "$win" "$out/$screen.png"
  echo "screenshots: $out/$screen.png"
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
done
