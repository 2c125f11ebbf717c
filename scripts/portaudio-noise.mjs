// PortAudio probes every ALSA and JACK backend when it scans devices; on machines without a sound card
// (servers, CI, containers with only PulseAudio) libasound and libjack print hundreds of diagnostic lines
// to stderr from native code, which Node cannot intercept. These are those lines, and only those.
const NOISE = [
  /^ALSA lib /,
  /^JackShmReadWritePtr::/,
  /^jack server is not running or cannot be started/,
  /^Cannot connect to server (socket|request channel)/,
  /^JackClient::/,
  // naudiodon's own note when a stream stops mid-buffer (expected on every release).
  /^Finishing (input|output) - \d+ bytes not available/,
  /^Cannot (open|lock) /,
  /^\s*$/,
];

/** True for a stderr line that is PortAudio's backend probing, not something Talkie said. */
export function isPortAudioNoise(line) {
  return NOISE.some((pattern) => pattern.test(line));
}
