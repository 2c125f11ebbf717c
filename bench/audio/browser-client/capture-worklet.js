/* global AudioWorkletProcessor, registerProcessor */
// Capture side of the browser client (bench/audio/browser-client/client.js). Like the realtime console's
// audio_processor worklet: every render quantum (128 frames at the context's 24 kHz) is converted to PCM16 and
// posted to the main thread, which gathers them into appends. Nothing else happens on the audio thread.
class CaptureProcessor extends AudioWorkletProcessor {
  process(inputs) {
    const channel = inputs[0] && inputs[0][0];
    if (channel && channel.length > 0) {
      const pcm = new Int16Array(channel.length);
      for (let i = 0; i < channel.length; i++) {
        const s = Math.max(-1, Math.min(1, channel[i]));
        pcm[i] = s < 0 ? s * 0x8000 : s * 0x7fff;
      }
      this.port.postMessage(pcm, [pcm.buffer]);
    }
    return true;
  }
}
registerProcessor('capture-processor', CaptureProcessor);
