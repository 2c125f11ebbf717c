/** True for a stderr line that is PortAudio's backend probing, not something Talkie said. */
export function isPortAudioNoise(line: string): boolean;
