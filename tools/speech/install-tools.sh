#!/usr/bin/env bash
# Installs what tools/speech/make_corpus.py needs (Debian 12). Idempotent: packages already
# present are left alone. The Maven build and tests do NOT need any of this: they read the
# shipped encoder in pretrained/speech-encoder.
set -euo pipefail

packages=(
  espeak-ng      # the voices (GPL-3+)
  sox            # resampling 22050 Hz -> 16 kHz, silence trimming, pitch/tempo/reverb
  python3-numpy  # mixing in noise
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

/usr/bin/python3 -c 'import numpy'
espeak-ng --version
sox --version
echo "speech-corpus tools ready; now run: /usr/bin/python3 tools/speech/make_corpus.py"
