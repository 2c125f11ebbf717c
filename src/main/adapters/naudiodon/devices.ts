/**
 * Device listing and choice by stable name. Only the default host API's devices are offered (on Windows the same
 * hardware appears once per host API; on Linux this is ALSA, where PulseAudio shows up as "pulse" and "default").
 */
import { AudioError, type DeviceList } from '../../core/audio/engine';
import type { NaudiodonModule } from './load';

/** A device as PortAudio reports it, with its index for opening. */
export interface PortDevice {
  id: number;
  name: string;
  inputs: number;
  outputs: number;
  rate: number;
  isDefaultInput: boolean;
  isDefaultOutput: boolean;
}

/** Every device of the default host API. */
export function scanDevices(lib: NaudiodonModule): PortDevice[] {
  const apis = lib.getHostAPIs();
  const api = apis.HostAPIs[apis.defaultHostAPI];
  const devices = lib.getDevices();
  const hostName = api?.name;
  return devices
    .filter((d) => hostName === undefined || d.hostAPIName === hostName)
    .map((d) => ({
      id: d.id,
      name: d.name,
      inputs: d.maxInputChannels,
      outputs: d.maxOutputChannels,
      rate: d.defaultSampleRate,
      isDefaultInput: api !== undefined && d.id === api.defaultInput,
      isDefaultOutput: api !== undefined && d.id === api.defaultOutput,
    }));
}

/** The list the UI shows. */
export function toDeviceList(devices: PortDevice[]): DeviceList {
  return {
    inputs: devices
      .filter((d) => d.inputs > 0)
      .map((d) => ({
        name: d.name,
        isDefault: d.isDefaultInput,
        channels: d.inputs,
        defaultSampleRate: d.rate,
      })),
    outputs: devices
      .filter((d) => d.outputs > 0)
      .map((d) => ({
        name: d.name,
        isDefault: d.isDefaultOutput,
        channels: d.outputs,
        defaultSampleRate: d.rate,
      })),
  };
}

/** Picks the device named `name`, or the default when `name` is null. */
export function chooseDevice(
  devices: PortDevice[],
  name: string | null,
  kind: 'input' | 'output',
): PortDevice {
  const what = kind === 'input' ? 'microphone' : 'speaker';
  const usable = devices.filter((d) => (kind === 'input' ? d.inputs : d.outputs) > 0);
  if (usable.length === 0) {
    throw new AudioError(
      'no-device',
      `No ${what} was found. Connect one, or check the system's sound settings.`,
    );
  }
  if (name === null) {
    const def = usable.find((d) => (kind === 'input' ? d.isDefaultInput : d.isDefaultOutput));
    return def ?? (usable[0] as PortDevice);
  }
  const named = usable.find((d) => d.name === name);
  if (!named) {
    throw new AudioError(
      'no-device',
      `The ${what} "${name}" is not connected. Choose another in Settings, or use the default.`,
    );
  }
  return named;
}
