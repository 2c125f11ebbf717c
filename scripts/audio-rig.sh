#!/usr/bin/env bash
# Real-audio rig without a sound card: PulseAudio with null sinks that stand in for a microphone and a speaker.
#   virtual_mic           null sink at 24 kHz mono; whatever is played into it is what "the microphone hears"
#   virtual_mic.monitor   default source (what the app captures through ALSA "pulse"/"default")
#   virtual_speaker       default sink (where the app's playback goes)
#   speaker_timeline      remapped source over virtual_speaker.monitor: a null sink's .monitor runs one block early,
#                         the remapped source gives the true timeline (see docs in test/audio/README.md)
# Usage: bash scripts/audio-rig.sh start|stop|status   (idempotent; prints what it did)
set -euo pipefail

STATE_DIR="${TALKIE_AUDIO_RIG_STATE:-/tmp/talkie-audio-rig}"
mkdir -p "$STATE_DIR"

need() { command -v "$1" >/dev/null 2>&1 || { echo "audio-rig: '$1' is missing (apt-get install -y pulseaudio pulseaudio-utils libasound2-plugins)" >&2; exit 2; }; }
need pulseaudio
need pactl

running() { pactl info >/dev/null 2>&1; }

module_loaded() { # $1 = module name, $2 = an argument that identifies it
  pactl list short modules 2>/dev/null | awk -v m="$1" -v a="$2" '$2 == m && index($0, a) { found = 1 } END { exit !found }'
}

load() { # $1 = module, rest = args; records the module index so stop only unloads what we loaded
  local mod="$1"; shift
  if module_loaded "$mod" "$1"; then
    echo "audio-rig: $mod $1 already loaded"
  else
    local idx
    idx=$(pactl load-module "$mod" "$@")
    echo "$idx" >>"$STATE_DIR/modules"
    echo "audio-rig: loaded $mod $* (module $idx)"
  fi
}

alsa_pulse_check() {
  # PortAudio (naudiodon) reaches PulseAudio through ALSA's pulse plugin; without it the virtual devices are invisible.
  if ! ls /usr/lib/*/alsa-lib/libasound_module_pcm_pulse.so >/dev/null 2>&1; then
    echo "audio-rig: ALSA's pulse plugin is missing: apt-get install -y libasound2-plugins" >&2
    exit 2
  fi
}

start() {
  if running; then
    echo "audio-rig: PulseAudio already running"
  else
    # As root PulseAudio refuses --system=false unless told it is fine; per-user mode keeps the socket where clients look.
    pulseaudio -D --exit-idle-time=-1 --system=false --disallow-exit=false -n \
      --load="module-native-protocol-unix" --load="module-always-sink" 2>"$STATE_DIR/pulseaudio.log" || true
    for _ in $(seq 1 50); do running && break; sleep 0.1; done
    if ! running; then
      echo "audio-rig: PulseAudio did not start; log:" >&2
      cat "$STATE_DIR/pulseaudio.log" >&2
      exit 1
    fi
    touch "$STATE_DIR/started-daemon"
    echo "audio-rig: started PulseAudio ($(pactl info | sed -n 's/^Server String: //p'))"
  fi
  # pacmd (kill-sink-input/kill-source-output) lets tests pull a device out from under a running stream.
  local runtime
  runtime=$(dirname "$(pactl info | sed -n 's/^Server String: //p')")
  load module-cli-protocol-unix socket="$runtime/cli"
  load module-null-sink sink_name=virtual_mic rate=24000 channels=1 sink_properties=device.description=virtual_mic
  load module-null-sink sink_name=virtual_speaker sink_properties=device.description=virtual_speaker
  load module-remap-source source_name=speaker_timeline master=virtual_speaker.monitor source_properties=device.description=speaker_timeline
  load module-remap-source source_name=mic_timeline master=virtual_mic.monitor source_properties=device.description=mic_timeline
  pactl set-default-source virtual_mic.monitor
  pactl set-default-sink virtual_speaker
  echo "audio-rig: default source virtual_mic.monitor, default sink virtual_speaker"
  alsa_pulse_check
}

stop() {
  if running && [ -f "$STATE_DIR/modules" ]; then
    tac "$STATE_DIR/modules" | while read -r idx; do
      pactl unload-module "$idx" 2>/dev/null && echo "audio-rig: unloaded module $idx" || true
    done
  fi
  rm -f "$STATE_DIR/modules"
  if [ -f "$STATE_DIR/started-daemon" ]; then
    pulseaudio --kill 2>/dev/null || true
    rm -f "$STATE_DIR/started-daemon"
    echo "audio-rig: stopped the PulseAudio daemon it started"
  fi
}

status() {
  if ! running; then
    echo "audio-rig: PulseAudio is not running (bash scripts/audio-rig.sh start)"
    exit 1
  fi
  pactl info | grep -E '^(Server String|Default Sink|Default Source)'
  pactl list short sinks
  pactl list short sources
}

case "${1:-status}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
