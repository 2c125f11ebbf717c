/** The big hold-to-talk button, its state in words, a live level meter and a stop control. */
import type { ReactElement } from 'react';
import type { HotkeyStatus } from '../../../shared/types';
import { useLevels } from '../hooks/useLevels';
import type { PushToTalk as PushToTalkControl } from '../hooks/usePushToTalk';
import type { TalkState } from '../model/state';
import { LevelMeter } from './LevelMeter';
import { MicIcon, StopIcon } from './icons';

export interface PushToTalkProps {
  state: TalkState;
  control: PushToTalkControl;
  hotkey: HotkeyStatus | null;
  /** Set when the newest press was ignored by the core (too short). */
  ignored: boolean;
  /** Words that say more than the state does (e.g. "Waiting for the connection"), or null. */
  note?: string | null;
  onStop(): void;
}

const STATUS: Readonly<Record<TalkState, string>> = {
  idle: 'Hold the button or Space',
  listening: 'Listening… release to send',
  sending: 'Sending…',
  waiting: 'Waiting for the reply…',
  replying: 'Replying…',
  failed: 'Last turn failed — see Retry above',
};

function hotkeyLine(hotkey: HotkeyStatus | null): string | null {
  if (!hotkey || hotkey.mode === 'off') return null;
  return hotkey.mode === 'hold'
    ? `Hotkey ${hotkey.accelerator}: hold to talk`
    : `Hotkey ${hotkey.accelerator}: press to start, again to send`;
}

/** Push to talk: the visible state follows the turn, with the local press shown at once. */
export function PushToTalk({
  state,
  control,
  hotkey,
  ignored,
  note = null,
  onStop,
}: PushToTalkProps): ReactElement {
  const levels = useLevels();
  const shown: TalkState = control.pressed ? 'listening' : state;
  const hint = control.hint ?? (ignored && shown === 'idle' ? 'Hold to talk' : null);
  const hotkeyText = hotkeyLine(hotkey);
  return (
    <div className={`ptt ptt-${shown}`}>
      <button
        type="button"
        className="ptt-button"
        aria-pressed={control.pressed}
        aria-describedby="ptt-status"
        {...control.buttonProps}
      >
        <span className="ptt-ring" aria-hidden="true" />
        <MicIcon size={34} />
        <span className="ptt-label">Push to talk</span>
      </button>
      <div className="ptt-meter-slot">
        {shown === 'listening' && <LevelMeter label="Microphone level" db={levels.input} />}
        {shown === 'replying' && (
          <LevelMeter label="Reply level" db={levels.output} className="level-output" />
        )}
      </div>
      <p id="ptt-status" className="ptt-status" aria-live="polite">
        {(!control.pressed && note) || STATUS[shown]}
      </p>
      <p className="ptt-hint" role="status">
        {hint}
      </p>
      {shown === 'replying' ? (
        <button type="button" className="button button-quiet button-small" onClick={onStop}>
          <StopIcon /> Stop reply
        </button>
      ) : (
        hotkeyText && <p className="ptt-hotkey">{hotkeyText}</p>
      )}
    </div>
  );
}
