/**
 * Settings › Modes: add, rename, edit and delete the named presets of the per-turn options. The list is
 * validated with the rest of the form (the shared schema) and again by main before it is stored.
 */
import type { ReactElement } from 'react';
import type { Mode } from '../../../shared/settings';

/** A fresh id for a new mode, unlike any in `modes`. */
function newModeId(modes: readonly Mode[]): string {
  const taken = new Set(modes.map((m) => m.id));
  let n = modes.length + 1;
  while (taken.has(`mode-${n}`)) n++;
  return `mode-${n}`;
}

/** A name for a new mode that no mode has yet. */
function newModeName(modes: readonly Mode[]): string {
  const taken = new Set(modes.map((m) => m.name.trim().toLowerCase()));
  let n = 1;
  while (taken.has(n === 1 ? 'new mode' : `new mode ${n}`)) n++;
  return n === 1 ? 'New mode' : `New mode ${n}`;
}

export function ModesSection({
  modes,
  error,
  onChange,
}: {
  modes: readonly Mode[];
  error?: string | undefined;
  onChange(modes: Mode[]): void;
}): ReactElement {
  const update = (index: number, patch: Partial<Mode>): void =>
    onChange(modes.map((mode, i) => (i === index ? { ...mode, ...patch } : mode)));
  return (
    <section className="settings-section" aria-labelledby="settings-modes">
      <h3 id="settings-modes">Modes</h3>
      <p className="field-hint">
        A mode fills in Reply as and the instructions for each turn. Choose one in the Talk area or the tray,
        or give it a key of its own: holding that key talks in that mode.
      </p>
      {modes.map((mode, index) => {
        const id = `mode-${index}`;
        return (
          <fieldset
            key={mode.id}
            className="settings-mode"
            aria-label={`Mode ${mode.name.trim() || index + 1}`}
          >
            <div className="field-pair">
              <div className="field">
                <label className="field-label" htmlFor={`${id}-name`}>
                  Mode name
                </label>
                <input
                  id={`${id}-name`}
                  className="input"
                  value={mode.name}
                  onChange={(e) => update(index, { name: e.target.value })}
                />
              </div>
              <div className="field">
                <label className="field-label" htmlFor={`${id}-reply`}>
                  Reply as
                </label>
                <select
                  id={`${id}-reply`}
                  className="input"
                  value={mode.replyAs}
                  onChange={(e) => update(index, { replyAs: e.target.value as Mode['replyAs'] })}
                >
                  <option value="voice">Voice</option>
                  <option value="text">Text</option>
                </select>
              </div>
            </div>
            <div className="field">
              <label className="field-label" htmlFor={`${id}-instructions`}>
                Mode instructions
              </label>
              <textarea
                id={`${id}-instructions`}
                className="input"
                rows={2}
                placeholder="Empty: the session instructions apply"
                value={mode.instructions}
                onChange={(e) => update(index, { instructions: e.target.value })}
              />
              <label className="checkbox">
                <input
                  type="checkbox"
                  checked={mode.instructionsMode === 'replace'}
                  onChange={(e) =>
                    update(index, { instructionsMode: e.target.checked ? 'replace' : 'append' })
                  }
                />
                <span>Replace session instructions</span>
              </label>
            </div>
            <div className="field-pair">
              <div className="field">
                <label className="field-label" htmlFor={`${id}-hotkey`}>
                  Mode hotkey
                </label>
                <input
                  id={`${id}-hotkey`}
                  className="input"
                  spellCheck={false}
                  placeholder="None, e.g. F7"
                  value={mode.hotkey ?? ''}
                  onChange={(e) =>
                    update(index, { hotkey: e.target.value.trim() === '' ? null : e.target.value })
                  }
                />
              </div>
              <div className="field">
                <button
                  type="button"
                  className="button"
                  disabled={modes.length <= 1}
                  onClick={() => onChange(modes.filter((_, i) => i !== index))}
                >
                  Delete mode
                </button>
              </div>
            </div>
          </fieldset>
        );
      })}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <button
        type="button"
        className="button"
        disabled={modes.length >= 20}
        onClick={() =>
          onChange([
            ...modes,
            {
              id: newModeId(modes),
              name: newModeName(modes),
              replyAs: 'voice',
              instructions: '',
              instructionsMode: 'append',
              hotkey: null,
            },
          ])
        }
      >
        Add mode
      </button>
    </section>
  );
}
