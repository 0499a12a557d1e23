#!/usr/bin/env bash
# Installs what tools/support/prepare.py needs (Debian 12). Idempotent: packages already
# present are left alone. The Maven build and tests do NOT need any of this; they read the
# committed copy in data/support/.
set -euo pipefail

packages=(
  espeak-ng          # voice notes (GPL-3+)
  sox                # resampling 22050 Hz -> 16 kHz, silence trimming
  python3-opencv     # compositing photos
  python3-numpy
  oxygen-icon-theme  # product icons, PNG (LGPL-3+)
  tango-icon-theme   # more product icons, PNG (public domain)
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
fi

# prepare.py must run with Debian's interpreter, which sees the apt packages.
/usr/bin/python3 -c 'import cv2, numpy' 
espeak-ng --version
sox --version
echo "support-data tools ready; now run: /usr/bin/python3 tools/support/prepare.py"
