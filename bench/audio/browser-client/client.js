/* global window, location, AudioContext, AudioWorkletNode */
// The browser-client mode of `npm run bench:audio -- --browser`: the standard web way to do push-to-talk against a
// Realtime WebSocket, as OpenAI's realtime console does it (wavtools' WavRecorder and WavStreamPlayer), in plain JS.
//
// - Capture: getUserMedia (the browser's default processing, as the console asks; the device picked by name) into an
//   AudioContext at 24 kHz; an AudioWorklet posts every 128-frame render quantum as PCM16 to this thread, which
//   gathers them and sends each 20 ms (480 samples) as an input_audio_buffer.append. The console gathers to a
//   chunk size too (8192 bytes, 170 ms, by default); 20 ms is the frame the benchmark anchor (BENCHMARKS.md) uses,
//   and the size Talkie sends. Release sends what is left, then commit and response.create, as the console does.
// - Playback: a second AudioContext at 24 kHz with an AudioWorklet ring buffer (playback-worklet.js) that plays each
//   delta as it arrives: no jitter buffer. The console also puts a gain of 2 before the destination; left out here
//   (it changes no timing, and would double the reply's level in the recording).
//
// Instrumentation (the only additions): each append's send time and audio, and each response's first
// response.output_audio.delta receive time, kept in `window.benchLog`, in this page's clock (performance.timeOrigin +
// performance.now()); the benchmark maps that clock onto its own through the `clock` socket (ping → page time).
(() => {
  const params = new URLSearchParams(location.search);
  const now = () => performance.timeOrigin + performance.now();
  const FRAME = 480; // 20 ms at 24 kHz
  const log = { appends: [], firstDeltas: [], errors: [], done: 0 };
  window.benchLog = log;

  const clock = new WebSocket(params.get('clock'));
  clock.onmessage = () => clock.send(String(now()));

  function toBase64(pcm) {
    const bytes = new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength);
    let binary = '';
    for (let i = 0; i < bytes.length; i += 0x8000)
      binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    return btoa(binary);
  }

  function fromBase64(text) {
    const binary = atob(text);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return new Int16Array(bytes.buffer);
  }

  const ws = new WebSocket(params.get('ws'));
  const send = (event) => ws.send(JSON.stringify(event));
  const append = (pcm) => {
    const audio = toBase64(pcm);
    send({ type: 'input_audio_buffer.append', audio });
    log.appends.push({ at: now(), audio });
  };

  // Capture: the worklet's quanta gathered into 20 ms appends while the key is held.
  let recording = false;
  let pending = new Int16Array(0);
  const onQuantum = (pcm) => {
    if (!recording) return;
    const merged = new Int16Array(pending.length + pcm.length);
    merged.set(pending);
    merged.set(pcm, pending.length);
    let offset = 0;
    while (merged.length - offset >= FRAME) {
      append(merged.slice(offset, offset + FRAME));
      offset += FRAME;
    }
    pending = merged.slice(offset);
  };

  // Playback: one ring-buffer node, fed every delta as it arrives.
  let player = null;
  const seen = new Set();
  ws.onmessage = (message) => {
    const event = JSON.parse(message.data);
    if (event.type === 'response.output_audio.delta') {
      if (!seen.has(event.response_id)) {
        seen.add(event.response_id);
        log.firstDeltas.push({ responseId: event.response_id, at: now() });
      }
      const pcm = fromBase64(event.delta);
      player.port.postMessage(pcm, [pcm.buffer]);
    } else if (event.type === 'response.done') {
      log.done++;
    } else if (event.type === 'error') {
      log.errors.push(event.error && event.error.message);
    }
  };

  window.benchPress = () => {
    pending = new Int16Array(0);
    recording = true;
  };
  // `text`: a reply in text only (the benchmark's microphone phase, as it asks of Talkie).
  window.benchRelease = (text) => {
    recording = false;
    if (pending.length > 0) append(pending);
    pending = new Int16Array(0);
    send({ type: 'input_audio_buffer.commit' });
    send(
      text
        ? { type: 'response.create', response: { output_modalities: ['text'] } }
        : { type: 'response.create' },
    );
  };

  window.benchReady = (async () => {
    await new Promise((resolve, reject) => {
      ws.onopen = resolve;
      ws.onerror = () => reject(new Error('the realtime socket did not open'));
    });
    await new Promise((resolve) => (clock.readyState === 1 ? resolve() : (clock.onopen = resolve)));
    send({
      type: 'session.update',
      session: {
        type: 'realtime',
        audio: {
          input: { format: { type: 'audio/pcm', rate: 24000 }, turn_detection: null },
          output: { format: { type: 'audio/pcm', rate: 24000 }, voice: 'alloy' },
        },
      },
    });

    // The microphone the benchmark names (the rig's mic_timeline), picked by id as the console's device menu does
    // (WavRecorder.begin(deviceId)). Chromium's "Default" here is the rig's default source, a sink's monitor, which
    // it does not capture: it hands back a beeping stand-in instead.
    await (await navigator.mediaDevices.getUserMedia({ audio: true })).getTracks().forEach((t) => t.stop());
    const devices = await navigator.mediaDevices.enumerateDevices();
    const wanted = devices.find((d) => d.kind === 'audioinput' && d.label === params.get('mic'));
    if (!wanted) throw new Error(`no microphone named ${params.get('mic')}`);
    const stream = await navigator.mediaDevices.getUserMedia({
      audio: { deviceId: { exact: wanted.deviceId } },
    });
    const captureContext = new AudioContext({ sampleRate: 24000 });
    await captureContext.audioWorklet.addModule('capture-worklet.js');
    const source = captureContext.createMediaStreamSource(stream);
    const capture = new AudioWorkletNode(captureContext, 'capture-processor');
    capture.port.onmessage = (event) => onQuantum(event.data);
    source.connect(capture);

    const playbackContext = new AudioContext({ sampleRate: 24000 });
    await playbackContext.audioWorklet.addModule('playback-worklet.js');
    player = new AudioWorkletNode(playbackContext, 'playback-processor', { outputChannelCount: [1] });
    player.connect(playbackContext.destination);
    await captureContext.resume();
    await playbackContext.resume();
    const track = stream.getAudioTracks()[0];
    return {
      microphone: track ? track.label : '(none)',
      settings: track ? track.getSettings() : {},
      captureState: captureContext.state,
      playbackState: playbackContext.state,
      baseLatency: playbackContext.baseLatency,
      outputLatency: playbackContext.outputLatency,
    };
  })();
})();
