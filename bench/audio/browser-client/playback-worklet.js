/* global AudioWorkletProcessor, registerProcessor */
// Playback side of the browser client (bench/audio/browser-client/client.js): a ring buffer on the audio thread.
// Each delta's PCM16 is written in as it arrives; every render quantum takes what is there and plays silence for
// the rest. No jitter buffer: playback starts with the first samples and a late delta is a gap.
// Departs from the realtime console's stream_processor in two ways, both in its favour here: the console queues
// whole 128-frame blocks (a delta's last partial block waits for the next delta) and ends its node when the queue
// runs dry mid-reply (the next delta starts a new one); this ring plays every sample at once and keeps running.
class PlaybackProcessor extends AudioWorkletProcessor {
  constructor() {
    super();
    this.ring = new Float32Array(24000 * 10);
    this.read = 0;
    this.write = 0;
    this.port.onmessage = (event) => {
      const pcm = event.data;
      for (let i = 0; i < pcm.length; i++) {
        this.ring[this.write] = pcm[i] / 0x8000;
        this.write = (this.write + 1) % this.ring.length;
      }
    };
  }

  process(_inputs, outputs) {
    const out = outputs[0][0];
    for (let i = 0; i < out.length; i++) {
      if (this.read === this.write) {
        out[i] = 0;
      } else {
        out[i] = this.ring[this.read];
        this.read = (this.read + 1) % this.ring.length;
      }
    }
    return true;
  }
}
registerProcessor('playback-processor', PlaybackProcessor);
