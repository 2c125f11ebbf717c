/** An audio device select ("System default" = null) with a level test button. */
import { useEffect, useRef, useState, type ReactElement } from 'react';
import type { AudioDeviceInfo } from '../../../shared/types';
import { getBridge } from '../bridge';
import { useLevels } from '../hooks/useLevels';
import { Field } from './Field';
import { LevelMeter } from './LevelMeter';

export interface DeviceFieldProps {
  kind: 'input' | 'output';
  label: string;
  devices: readonly AudioDeviceInfo[];
  value: string | null;
  error?: string | undefined;
  onChange(device: string | null): void;
}

/** A device's name, marked when it is the system's default, but never "default (default)". */
export function deviceLabel(device: AudioDeviceInfo): string {
  return device.isDefault && !/\bdefault\b/i.test(device.name) ? `${device.name} (default)` : device.name;
}

/** How long the test result (and the input meter) stays visible. */
const TEST_SHOWN_MS = 5000;

/** Select plus "Test microphone" / "Test speaker". */
export function DeviceField({
  kind,
  label,
  devices,
  value,
  error,
  onChange,
}: DeviceFieldProps): ReactElement {
  const [testing, setTesting] = useState(false);
  const [result, setResult] = useState<string | null>(null);
  const timer = useRef<number | null>(null);
  const levels = useLevels();
  const id = `device-${kind}`;
  const missing = value !== null && !devices.some((d) => d.name === value);

  useEffect(
    () => () => {
      if (timer.current !== null) window.clearTimeout(timer.current);
    },
    [],
  );

  const test = async (): Promise<void> => {
    setTesting(true);
    setResult(kind === 'input' ? 'Listening — speak now…' : 'Playing a test tone…');
    try {
      const answer = await getBridge()['audio.test']({ kind, device: value });
      if (!answer.ok) {
        setResult(answer.error);
        setTesting(false);
        return;
      }
    } catch (e) {
      setResult(e instanceof Error ? e.message : String(e));
      setTesting(false);
      return;
    }
    if (timer.current !== null) window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => {
      setTesting(false);
      setResult(null);
    }, TEST_SHOWN_MS);
  };

  const level = kind === 'input' ? levels.input : levels.output;
  return (
    <Field id={id} label={label} error={error}>
      {(control) => (
        <>
          <div className="device-row">
            <select
              {...control}
              className="input"
              value={value ?? ''}
              onChange={(e) => onChange(e.target.value === '' ? null : e.target.value)}
            >
              <option value="">System default</option>
              {devices.map((device) => (
                <option key={device.name} value={device.name}>
                  {deviceLabel(device)}
                </option>
              ))}
              {missing && <option value={value}>{value} (not connected)</option>}
            </select>
            <button type="button" className="button" onClick={() => void test()}>
              {kind === 'input' ? 'Test microphone' : 'Test speaker'}
            </button>
          </div>
          {testing && (
            <LevelMeter
              label={kind === 'input' ? 'Microphone test level' : 'Speaker test level'}
              db={level}
            />
          )}
          <p className="field-hint" role="status">
            {result}
          </p>
        </>
      )}
    </Field>
  );
}
