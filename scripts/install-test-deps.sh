#!/usr/bin/env bash
# Installs the Debian packages the tests use, only those missing: Chromium for the browser tests,
# PulseAudio + ALSA plugin for the virtual audio devices, espeak-ng/sox to make and measure speech,
# Xvfb/xdotool for the global-hotkey test, dbus-daemon for the Wayland portal tests (a private session bus),
# PortAudio headers for naudiodon's build.
set -euo pipefail
packages=(chromium pulseaudio pulseaudio-utils libasound2-plugins alsa-utils espeak-ng sox xvfb xauth xdotool dbus-daemon libportaudio2 portaudio19-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "test dependencies: all present"
  exit 0
fi
echo "test dependencies: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then sudo="sudo"; else
    echo "Please install as root: apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "test dependencies: installed"
