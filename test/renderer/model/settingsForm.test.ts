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
});
