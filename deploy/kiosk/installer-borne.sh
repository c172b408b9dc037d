#!/usr/bin/env bash
# Turns a PC with Debian 12 (bookworm) into a reception kiosk (« borne »).
#
#   sudo ./installer-borne.sh 'https://…/kiosque/borne/JETON' [MINUTES]
#
# MINUTES: minutes without activity before Chromium starts again on the kiosk home (default 5).
# Run it from this folder (it installs the files beside it). Running it again is safe: it updates
# the address and the files, and installs what is missing.
#
# What it does: installs Xorg, Openbox, lightdm, Chromium, unclutter, xprintidle, CUPS and the
# Gutenprint drivers; creates the « borne » account (no password, cannot log in anywhere but on
# this screen); opens its session at boot; that session (session-borne.sh) runs Chromium in kiosk
# mode. Security updates are installed automatically (unattended-upgrades).
#
# DESTDIR=/some/folder ./installer-borne.sh URL only writes the files under that folder (to look at
# them), without installing packages nor touching accounts and services.
set -euo pipefail
shopt -s inherit_errexit 2>/dev/null || true

HERE=$(cd "$(dirname "$0")" && pwd)
DESTDIR=${DESTDIR:-}

say() { printf '\n== %s\n' "$*"; }
die() { printf 'installer-borne : %s\n' "$*" >&2; exit 1; }

usage() {
  cat >&2 <<'EOF'
Usage : sudo ./installer-borne.sh 'https://…/kiosque/borne/JETON' [MINUTES]
  L'adresse est donnée par « Démarches en ligne > Gérer le kiosque de mon centre > Bornes ». Gardez-la secrète.
  MINUTES : minutes sans activité avant de relancer le navigateur sur l'accueil (5 par défaut).
EOF
  exit 2
}

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  usage
fi
url=$1
minutes=${2:-5}

[[ "$url" =~ ^https?://[^[:space:]]+$ ]] || die "« $url » n'est pas une adresse web (https://…)."
if [[ "$url" == http://* ]]; then
  printf 'Attention : adresse en http:// ; préférez https:// sur Internet.\n' >&2
fi
if ! [[ "$minutes" =~ ^[0-9]+$ ]] || [ "$minutes" -lt 1 ] || [ "$minutes" -gt 120 ]; then
  die "MINUTES doit être un nombre entre 1 et 120 (reçu : $minutes)."
fi

for f in session-borne.sh lightdm-borne.conf borne.desktop openbox-borne.xml chromium-borne.json; do
  [ -r "$HERE/$f" ] || die "fichier $f introuvable à côté du script (lancez-le depuis deploy/kiosk)."
done

if [ -z "$DESTDIR" ]; then
  [ "$(id -u)" -eq 0 ] || die "à lancer en administrateur : sudo ./installer-borne.sh …"
  if ! grep -q '^VERSION_CODENAME=bookworm' /etc/os-release 2>/dev/null; then
    printf 'Attention : ce script est prévu pour Debian 12 (bookworm).\n' >&2
  fi

  say "Installation des paquets (cela peut prendre un moment)"
  export DEBIAN_FRONTEND=noninteractive
  # If a desktop's display manager is already there, lightdm becomes the one used.
  echo "lightdm shared/default-x-display-manager select lightdm" | debconf-set-selections
  apt-get update
  apt-get install -y \
    xorg openbox lightdm x11-xserver-utils x11-utils \
    chromium chromium-l10n \
    unclutter xprintidle curl \
    cups cups-client cups-browsed ipp-usb printer-driver-gutenprint \
    unattended-upgrades
fi

if [ -z "$DESTDIR" ]; then
  say "Compte « borne »"
  if id borne >/dev/null 2>&1; then
    echo "le compte borne existe déjà"
  else
    adduser --disabled-password --gecos "Borne" borne
  fi
  # Some lightdm setups only auto-login members of this group.
  groupadd -f autologin
  usermod -aG autologin borne
fi

say "Fichiers de la borne"
install -d -m 755 "$DESTDIR/etc/borne"
conf="$DESTDIR/etc/borne/borne.conf"
tmp=$(mktemp)
{
  echo "# Borne : lu par /usr/local/bin/session-borne à chaque ouverture de session."
  echo "# L'adresse contient le jeton secret de la borne : ne pas la diffuser."
  echo "url=$url"
  echo "# Minutes sans activité avant de relancer le navigateur sur l'accueil, avec un profil neuf."
  echo "inactivite_minutes=$minutes"
} >"$tmp"
install -m 640 "$tmp" "$conf"
rm -f "$tmp"
if [ -z "$DESTDIR" ]; then
  chgrp borne "$conf"
fi

install -D -m 755 "$HERE/session-borne.sh" "$DESTDIR/usr/local/bin/session-borne"
install -D -m 644 "$HERE/openbox-borne.xml" "$DESTDIR/etc/borne/openbox-borne.xml"
install -D -m 644 "$HERE/borne.desktop" "$DESTDIR/usr/share/xsessions/borne.desktop"
install -D -m 644 "$HERE/lightdm-borne.conf" "$DESTDIR/etc/lightdm/lightdm.conf.d/50-borne.conf"
install -D -m 644 "$HERE/chromium-borne.json" "$DESTDIR/etc/chromium/policies/managed/borne.json"

# Security updates every day, without asking (Chromium gets its fixes this way).
install -d -m 755 "$DESTDIR/etc/apt/apt.conf.d"
cat >"$DESTDIR/etc/apt/apt.conf.d/20auto-upgrades" <<'EOF'
APT::Periodic::Update-Package-Lists "1";
APT::Periodic::Unattended-Upgrade "1";
EOF

if [ -n "$DESTDIR" ]; then
  say "Fichiers écrits sous $DESTDIR (rien d'autre n'a été fait)"
  exit 0
fi

say "Démarrage automatique de la borne"
echo /usr/sbin/lightdm >/etc/X11/default-display-manager
systemctl enable --force lightdm.service
systemctl set-default graphical.target

say "Imprimante"
systemctl enable --now cups.service
if lpstat -d 2>/dev/null | grep -q ':'; then
  lpstat -d
else
  cat <<'EOF'
Aucune imprimante par défaut pour l'instant. Branchez l'imprimante, puis :
  lpinfo -v                        (liste les imprimantes trouvées)
  lpadmin -p borne -E -v 'ADRESSE' -m everywhere
  lpadmin -d borne                 (imprimante par défaut : la borne imprime sans question)
Imprimante HP : apt-get install hplip puis hp-setup -i.
Voir README.md.
EOF
fi

say "Terminé"
cat <<'EOF'
Redémarrez l'ordinateur (reboot) : la borne s'ouvre toute seule.
Pour administrer l'ordinateur plus tard : Ctrl+Alt+F2, puis connectez-vous avec votre compte.
EOF
