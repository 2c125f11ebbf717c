/**
 * macOS: the microphone is behind a privacy permission. Opening PortAudio without it records
 * silence without an error, so capture is gated on Electron's systemPreferences: granted opens,
 * not yet asked asks (the system's dialog), denied or restricted fails in words that say where to
 * allow it. Other platforms do not wrap the engine.
 */
import type { SystemPreferences } from 'electron';
import type { AudioEngine } from '../core/audio/engine';

/** The words for a microphone Talkie may not use. */
export const MICROPHONE_DENIED =
  'Talkie is not allowed to use the microphone: allow it in System Settings › Privacy & Security › Microphone, then try again.';

type Prefs = Pick<SystemPreferences, 'getMediaAccessStatus' | 'askForMediaAccess'>;

/** The engine with capture (and input warm-up) behind the macOS microphone permission. */
export function gateMicrophone(engine: AudioEngine, prefs: Prefs): AudioEngine {
  const ensure = async (): Promise<void> => {
    const status = prefs.getMediaAccessStatus('microphone');
    if (status === 'granted') return;
    if (status === 'not-determined' && (await prefs.askForMediaAccess('microphone'))) return;
    throw new Error(MICROPHONE_DENIED);
  };
  const gated: AudioEngine = {
    listDevices: () => engine.listDevices(),
    openCapture: async (options) => {
      await ensure();
      return engine.openCapture(options);
    },
    openPlayback: (options) => engine.openPlayback(options),
    close: () => engine.close(),
  };
  if (engine.prime) {
    const prime = engine.prime.bind(engine);
    // Warming the microphone up must not raise the permission dialog at start: only the output then.
    gated.prime = (devices) =>
      prime(
        prefs.getMediaAccessStatus('microphone') === 'granted' ? devices : { ...devices, input: undefined },
      );
  }
  if (engine.playCue) gated.playCue = engine.playCue.bind(engine);
  if (engine.prepareOutput) gated.prepareOutput = engine.prepareOutput.bind(engine);
  if (engine.watchDevices) gated.watchDevices = engine.watchDevices.bind(engine);
  if (engine.onBeat) gated.onBeat = engine.onBeat.bind(engine);
  if (engine.onProblem) gated.onProblem = engine.onProblem.bind(engine);
  return gated;
}
