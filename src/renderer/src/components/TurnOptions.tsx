/** "Reply as" and "Instructions for this turn": what the next turn (voice or typed) will use. */
import type { ReactElement } from 'react';
import type { ReplyAs } from '../../../shared/types';
import type { TurnOptionsControl } from '../hooks/useTurnOptions';

const REPLY_AS: ReadonlyArray<{ value: ReplyAs; label: string }> = [
  { value: 'voice', label: 'Voice' },
  { value: 'text', label: 'Text' },
];

/** The modes to choose from (named presets of these options), and what choosing one does. */
export interface ModeChoice {
  modes: ReadonlyArray<{ id: string; name: string }>;
  modeId: string;
  choose(modeId: string): void;
  /** Set when main refused the choice (plain words). */
  error: string | null;
}

/**
 * Per-turn options; an empty instructions box means the session's instructions apply unchanged. Choosing a mode
 * fills them with the mode's (main sends them back as the next turn's).
 */
export function TurnOptions({
  options,
  mode,
}: {
  options: TurnOptionsControl;
  mode?: ModeChoice | undefined;
}): ReactElement {
  const { value, change, error } = options;
  const hasInstructions = value.instructions.trim() !== '';
  return (
    <div className="turn-options">
      {mode && (
        <div className="field turn-mode">
          <label className="field-label" htmlFor="turn-mode">
            Mode
          </label>
          <select
            id="turn-mode"
            className="input"
            value={mode.modeId}
            onChange={(e) => mode.choose(e.target.value)}
          >
            {mode.modes.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
              </option>
            ))}
          </select>
          {mode.error && (
            <p className="field-error" role="alert">
              {mode.error}
            </p>
          )}
        </div>
      )}
      <div className="field">
        <span className="field-label" id="reply-as-label">
          Reply as
        </span>
        <div className="segmented" role="radiogroup" aria-labelledby="reply-as-label">
          {REPLY_AS.map((option) => (
            <label key={option.value} className="segmented-option">
              <input
                type="radio"
                name="reply-as"
                value={option.value}
                checked={value.replyAs === option.value}
                onChange={() => change({ replyAs: option.value })}
              />
              <span>{option.label}</span>
            </label>
          ))}
        </div>
      </div>
      <div className="field">
        <label className="field-label" htmlFor="turn-instructions">
          Instructions for this turn
        </label>
        <textarea
          id="turn-instructions"
          className="input"
          rows={2}
          placeholder="e.g. Answer in one sentence"
          value={value.instructions}
          aria-describedby="turn-instructions-hint"
          onChange={(e) => change({ instructions: e.target.value }, false)}
        />
        <div id="turn-instructions-hint" className="field-hint">
          {hasInstructions ? (
            <label className="checkbox">
              <input
                type="checkbox"
                checked={value.instructionsMode === 'replace'}
                onChange={(e) => change({ instructionsMode: e.target.checked ? 'replace' : 'append' })}
              />
              <span>Replace session instructions for this turn</span>
            </label>
          ) : (
            <span>Session instructions apply</span>
          )}
        </div>
        {error && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
      </div>
    </div>
  );
}
