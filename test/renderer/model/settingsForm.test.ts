import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../src/shared/settings';
import { formToPatch, toForm, toFormErrors } from '../../../src/renderer/src/model/settingsForm';

const saved = { ...DEFAULT_SETTINGS };

describe('settings form', () => {
  it('shows the stall timeout in seconds and saves it in milliseconds', () => {
    const form = toForm(saved);
    expect(form.stallTimeoutSeconds).toBe('10');
    expect(formToPatch({ ...form, stallTimeoutSeconds: '2.5' }, saved)).toEqual({
      ok: true,
      patch: { stallTimeoutMs: 2500 },
    });
  });

  it('sends only the fields the user changed', () => {
    const form = {
      ...toForm(saved),
      provider: 'azure' as const,
      azureResource: 'my-res',
      azureDeployment: 'rt',
    };
    expect(formToPatch(form, saved)).toEqual({
      ok: true,
      patch: { provider: 'azure', azureResource: 'my-res', azureDeployment: 'rt' },
    });
    expect(formToPatch(toForm(saved), saved)).toEqual({ ok: true, patch: {} });
  });

  it('explains a bad field beside that field, with the schema message', () => {
    const result = formToPatch({ ...toForm(saved), customUrl: 'http://x', hotkey: 'F99' }, saved);
    expect(result).toEqual({
      ok: false,
      errors: { customUrl: 'Use a ws:// or wss:// URL', hotkey: 'Use a key like F9 or Control+Shift+Space' },
    });
  });

  it('puts the stall timeout limits on the seconds field', () => {
    expect(formToPatch({ ...toForm(saved), stallTimeoutSeconds: '1' }, saved)).toEqual({
      ok: false,
      errors: { stallTimeoutSeconds: 'At least 2 seconds' },
    });
    expect(formToPatch({ ...toForm(saved), stallTimeoutSeconds: 'soon' }, saved)).toEqual({
      ok: false,
      errors: { stallTimeoutSeconds: 'Enter a number of seconds' },
    });
  });

  it("maps main's stallTimeoutMs error onto the seconds field", () => {
    expect(toFormErrors({ stallTimeoutMs: 'At most 120 seconds', voice: 'x' })).toEqual({
      stallTimeoutSeconds: 'At most 120 seconds',
      voice: 'x',
    });
  });
});
