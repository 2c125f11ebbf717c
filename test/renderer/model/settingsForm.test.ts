import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../src/shared/settings';
import {
  formToPatch,
  priceRowForm,
  toForm,
  toFormErrors,
} from '../../../src/renderer/src/model/settingsForm';

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

  it('sends an edited list of modes, and never the chosen mode (chosen elsewhere, possibly since)', () => {
    const form = toForm(saved);
    const renamed = saved.modes.map((m) =>
      m.id === 'short-answers' ? { ...m, name: 'Brief', hotkey: 'F7' } : m,
    );
    const later = { ...saved, modeId: 'translate-french' };
    expect(formToPatch({ ...form, modes: renamed }, later)).toEqual({ ok: true, patch: { modes: renamed } });
  });

  it('explains a bad mode beside the modes', () => {
    const form = toForm(saved);
    const modes = saved.modes.map((m) => ({ ...m, name: 'Same' }));
    expect(formToPatch({ ...form, modes }, saved)).toEqual({
      ok: false,
      errors: { modes: 'Two modes are called "Same"' },
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

describe('the chosen provider must have what it needs (issue 19)', () => {
  const saved = { ...DEFAULT_SETTINGS };

  it('refuses Azure without a resource or deployment, and an invalid resource', () => {
    const empty = formToPatch({ ...toForm(saved), provider: 'azure' }, saved);
    expect(empty.ok).toBe(false);
    if (!empty.ok) {
      expect(empty.errors.azureResource).toMatch(/resource name/);
      expect(empty.errors.azureDeployment).toMatch(/deployment name/);
    }
    const bad = formToPatch(
      { ...toForm(saved), provider: 'azure', azureResource: 'not a resource!', azureDeployment: 'gpt' },
      saved,
    );
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors.azureResource).toMatch(/my-resource/);
  });

  it('accepts an Azure resource name or endpoint URL with a deployment', () => {
    for (const azureResource of [
      'my-resource',
      'https://my-resource.openai.azure.com/',
      'x.openai.azure.com',
    ]) {
      const result = formToPatch(
        { ...toForm(saved), provider: 'azure', azureResource, azureDeployment: 'gpt-realtime' },
        saved,
      );
      expect(result.ok, azureResource).toBe(true);
    }
  });

  it('refuses OpenAI without a model and Custom URL without a URL', () => {
    const openai = formToPatch({ ...toForm(saved), provider: 'openai', openaiModel: '  ' }, saved);
    expect(openai.ok).toBe(false);
    const custom = formToPatch({ ...toForm(saved), provider: 'custom', customUrl: '' }, saved);
    expect(custom.ok).toBe(false);
    if (!custom.ok) expect(custom.errors.customUrl).toMatch(/ws:\/\//);
  });

  it('leaves fields of other providers alone', () => {
    expect(formToPatch({ ...toForm(saved), provider: 'simulator', azureResource: '' }, saved).ok).toBe(true);
  });

  it('a changed price is saved as a number in the table; the rest of the table stays as it was', () => {
    const form = toForm(saved);
    const row = form.prices['gpt-realtime'];
    if (!row) throw new Error('no gpt-realtime row');
    const result = formToPatch(
      { ...form, prices: { ...form.prices, 'gpt-realtime': { ...row, audioOutput: '80' } } },
      saved,
    );
    expect(result.ok && result.patch.prices?.['gpt-realtime']?.audioOutput).toBe(80);
    expect(result.ok && result.patch.prices?.['gpt-realtime-mini']).toEqual(
      saved.prices['gpt-realtime-mini'],
    );
  });

  it('prices for a new model are kept when every one is filled, and a row left empty is not saved', () => {
    const form = toForm(saved);
    const full = priceRowForm(saved.prices['gpt-realtime-mini']);
    const ok = formToPatch({ ...form, prices: { ...form.prices, 'my-deployment': full } }, saved);
    expect(ok.ok && ok.patch.prices?.['my-deployment']?.audioInput).toBe(10);
    const empty = formToPatch({ ...form, prices: { ...form.prices, other: priceRowForm(undefined) } }, saved);
    expect(empty).toEqual({ ok: true, patch: {} });
  });

  it('a missing or negative price is refused with words', () => {
    const form = toForm(saved);
    const half = { ...priceRowForm(undefined), audioInput: '3' };
    expect(formToPatch({ ...form, prices: { ...form.prices, x: half } }, saved)).toEqual({
      ok: false,
      errors: { prices: 'Enter every price for x in dollars per 1M tokens (0 or more)' },
    });
    const row = form.prices['gpt-realtime'];
    if (!row) throw new Error('no gpt-realtime row');
    const negative = { ...form.prices, 'gpt-realtime': { ...row, textInput: '-1' } };
    expect(formToPatch({ ...form, prices: negative }, saved).ok).toBe(false);
  });

  it('the session length limit: empty means the provider’s, whole minutes from 1', () => {
    const form = toForm(saved);
    expect(form.sessionLimitMinutes).toBe('');
    expect(formToPatch({ ...form, sessionLimitMinutes: '45' }, saved)).toEqual({
      ok: true,
      patch: { sessionLimitMinutes: 45 },
    });
    expect(formToPatch({ ...form, sessionLimitMinutes: '0' }, saved)).toEqual({
      ok: false,
      errors: { sessionLimitMinutes: 'At least 1 minute' },
    });
    expect(formToPatch({ ...form, sessionLimitMinutes: 'soon' }, saved).ok).toBe(false);
    expect(toForm({ ...saved, sessionLimitMinutes: 30 }).sessionLimitMinutes).toBe('30');
  });
});
