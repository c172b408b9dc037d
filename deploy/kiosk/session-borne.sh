#!/usr/bin/env bash
# The kiosk's graphical session (installed as /usr/local/bin/session-borne, started by lightdm for the
# « borne » account).
#
# - keeps the screen lit (no blanking, no power saving);
# - runs Chromium in kiosk mode on the kiosk address, with a brand-new profile at every start
#   (nothing of the previous person is kept: cookies, history, downloads, cache);
# - starts Chromium again whenever it stops (closed with Alt+F4, crashed…);
# - restarts Chromium on the kiosk home after N minutes without any keyboard, mouse or touch activity.
#   The kiosk page has its own timer, but it does not run on the organisations' sites (CAF, ameli…)
#   opened from it: this watcher covers them.
#
# Settings: /etc/borne/borne.conf (or $BORNE_CONF), lines `key=value`:
#   url=https://…/kiosque/borne/JETON      the kiosk address (secret: it holds the kiosk's token)
#   inactivite_minutes=5                   minutes without activity before the restart
set -euo pipefail

CONF=${BORNE_CONF:-/etc/borne/borne.conf}
OPENBOX_CONF=${BORNE_OPENBOX_CONF:-/etc/borne/openbox-borne.xml}
# Must match DownloadDirectory in /etc/chromium/policies/managed/borne.json.
DOWNLOADS=/tmp/borne-telechargements
CHROMIUM=${BORNE_CHROMIUM:-chromium}

log() { printf '%s session-borne: %s\n' "$(date '+%F %T')" "$*"; }

url=""
idle_minutes=5
while IFS='=' read -r key value; do
  case "$key" in
    url) url=$value ;;
    inactivite_minutes) idle_minutes=$value ;;
  esac
done < <(grep -E '^[a-z_]+=' "$CONF" || true)

if [ -z "$url" ]; then
  log "pas d'adresse de borne (ligne url=… dans $CONF)"
  # Keep the session up so that lightdm does not loop; show the problem on screen.
  xmessage -center "Borne : pas d'adresse dans $CONF. Relancez installer-borne.sh." || sleep infinity
  exit 1
fi
if ! [[ "$idle_minutes" =~ ^[0-9]+$ ]] || [ "$idle_minutes" -lt 1 ]; then
  log "inactivite_minutes=$idle_minutes n'est pas un nombre de minutes : 5 minutes"
  idle_minutes=5
fi
idle_limit_ms=$((idle_minutes * 60 * 1000))

# Keep the profile in memory when possible (XDG_RUNTIME_DIR is a tmpfs): nothing reaches the disk.
profile="${XDG_RUNTIME_DIR:-/tmp}/borne-chromium"

helpers=()
chromium_pid=""
started_at=0

wipe_traces() {
  rm -rf -- "$profile" "$DOWNLOADS"
  mkdir -m 700 -- "$profile" "$DOWNLOADS"
  # Files saved elsewhere by a site's « save as » dialog.
  local dir
  for dir in "$HOME/Downloads" "$HOME/Téléchargements"; do
    if [ -d "$dir" ]; then
      find "$dir" -mindepth 1 -delete
    fi
  done
  rm -f -- "$HOME/.local/share/recently-used.xbel"
}

start_chromium() {
  wipe_traces
  # setsid: Chromium and its helper processes get a process group of their own, stopped as one.
  setsid "$CHROMIUM" \
    --kiosk \
    --kiosk-printing \
    --user-data-dir="$profile" \
    --disk-cache-dir="$profile/cache" \
    --disk-cache-size=52428800 \
    --no-first-run \
    --no-default-browser-check \
    --disable-features=Translate,TranslateUI \
    --password-store=basic \
    --noerrdialogs \
    --disable-session-crashed-bubble \
    --check-for-update-interval=31536000 \
    --overscroll-history-navigation=0 \
    --lang=fr \
    "$url" &
  chromium_pid=$!
  started_at=$SECONDS
  log "Chromium démarré (processus $chromium_pid)"
}

stop_chromium() {
  if [ -z "$chromium_pid" ]; then
    return 0
  fi
  kill -TERM -- "-$chromium_pid" 2>/dev/null || true
  local _
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    kill -0 "$chromium_pid" 2>/dev/null || break
    sleep 0.5
  done
  if kill -0 "$chromium_pid" 2>/dev/null; then
    log "Chromium ne s'arrête pas après 5 secondes : arrêt forcé"
  fi
  kill -KILL -- "-$chromium_pid" 2>/dev/null || true
  wait "$chromium_pid" 2>/dev/null || true
  chromium_pid=""
}

cleanup() {
  stop_chromium
  local pid
  for pid in "${helpers[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  rm -rf -- "$profile" "$DOWNLOADS"
}
trap cleanup EXIT
trap 'exit 0' TERM INT HUP

# The screen stays lit: no screen saver, no blanking, no power saving.
if command -v xset >/dev/null; then
  xset s off || true
  xset s noblank || true
  xset -dpms || true
fi

if command -v openbox >/dev/null; then
  if [ -r "$OPENBOX_CONF" ]; then
    openbox --config-file "$OPENBOX_CONF" &
  else
    openbox &
  fi
  helpers+=("$!")
fi

# Hide the mouse pointer after 10 s without moving; it comes back at once when the mouse moves.
if command -v unclutter >/dev/null; then
  unclutter -idle 10 -root &
  helpers+=("$!")
fi

# At boot the network may still be coming up: wait for the server a little, then start anyway
# (Chromium shows its own error page, and the idle restart below tries again).
if command -v curl >/dev/null; then
  for _ in $(seq 1 30); do
    if curl --silent --output /dev/null --max-time 3 "$url"; then
      break
    fi
    sleep 2
  done
fi

start_chromium
restarted_while_idle=0
while true; do
  sleep 2
  if ! kill -0 "$chromium_pid" 2>/dev/null; then
    wait "$chromium_pid" 2>/dev/null || true
    # A Chromium that stops at once again and again must not make the screen flash.
    if [ $((SECONDS - started_at)) -lt 10 ]; then
      sleep 5
    fi
    log "Chromium s'est arrêté : nouveau départ"
    chromium_pid=""
    start_chromium
    continue
  fi

  idle_ms=$(xprintidle 2>/dev/null || echo 0)
  if ! [[ "$idle_ms" =~ ^[0-9]+$ ]]; then
    idle_ms=0
  fi
  if [ "$idle_ms" -ge "$idle_limit_ms" ]; then
    # Once per idle stretch: the idle time keeps growing until someone touches the kiosk again.
    if [ "$restarted_while_idle" -eq 0 ]; then
      log "aucune activité depuis $idle_minutes min : retour à l'accueil avec un profil neuf"
      stop_chromium
      start_chromium
      restarted_while_idle=1
    fi
  else
    restarted_while_idle=0
  fi
done
