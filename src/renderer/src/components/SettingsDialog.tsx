/**
 * Settings as a modal dialog (native <dialog>: focus is trapped, Escape closes, focus returns to the
 * opener). Validated with the shared schema as the user saves; main's field errors show the same way.
 */
import { useEffect, useRef, useState, type ReactElement } from 'react';
import type { CommandResponse } from '../../../shared/contract';
import {
  AUDIO_FORMATS,
  CAPTURE_MODIFIERS,
  IMAGE_DETAILS,
  VOICES,
  type Provider,
} from '../../../shared/settings';
import type { DeviceList, HotkeyStatus, SettingsView } from '../../../shared/types';
import { getBridge } from '../bridge';
import {
  formToPatch,
  priceRowForm,
  toForm,
  toFormErrors,
  type FormErrors,
  type SettingsForm,
} from '../model/settingsForm';
import { PRICE_FIELDS, PRICES_AS_OF, type ModelPrices } from '../../../shared/usage';
import { ApiKeySection } from './ApiKeySection';
import { DeviceField } from './DeviceField';
import { ModesSection } from './ModesSection';
import { Field, InputField, SelectField, TextAreaField } from './Field';
import { ToolsSection } from './ToolsSection';
import { CloseIcon } from './icons';

export interface SettingsDialogProps {
  open: boolean;
  view: SettingsView;
  shell: 'electron' | 'browser';
  hotkey: HotkeyStatus | null;
  /** Opened to add a key (the demo banner): suggest OpenAI over the simulator and focus the key field. */
  forKey?: boolean;
  onClose(): void;
  onViewChange(view: SettingsView): void;
}

const PROVIDER_OPTIONS: ReadonlyArray<{ value: Provider; label: string; hint: string }> = [
  { value: 'openai', label: 'OpenAI', hint: 'api.openai.com with your API key' },
  { value: 'azure', label: 'Azure OpenAI', hint: 'Your Azure resource and deployment' },
  { value: 'custom', label: 'Custom URL', hint: 'Any server speaking the Realtime GA protocol' },
  { value: 'simulator', label: 'Local simulator', hint: 'Offline demo, no key needed' },
];

const FORMAT_LABEL: Readonly<Record<(typeof AUDIO_FORMATS)[number], string>> = {
  'audio/pcm': 'PCM 16-bit, 24 kHz (best quality)',
  'audio/pcmu': 'G.711 µ-law, 8 kHz',
  'audio/pcma': 'G.711 A-law, 8 kHz',
};

const capitalise = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** The models offered with one click; any other name can be typed. */
const SUGGESTED_MODELS = ['gpt-realtime', 'gpt-realtime-mini'] as const;

/** Transcription models offered in the list (any name can be typed). */
const TRANSCRIPTION_MODELS = ['gpt-4o-mini-transcribe', 'gpt-4o-transcribe', 'whisper-1'] as const;

/** Column headings of the price table, and the words each price field is named by. */
const PRICE_LABEL: Readonly<Record<keyof ModelPrices, { column: string; name: string }>> = {
  textInput: { column: 'Text in', name: 'text input' },
  textCachedInput: { column: 'Text cached', name: 'cached text input' },
  textOutput: { column: 'Text out', name: 'text output' },
  audioInput: { column: 'Audio in', name: 'audio input' },
  audioCachedInput: { column: 'Audio cached', name: 'cached audio input' },
  audioOutput: { column: 'Audio out', name: 'audio output' },
  imageInput: { column: 'Image in', name: 'image input' },
  imageCachedInput: { column: 'Image cached', name: 'cached image input' },
};

/** The model the form connects to (OpenAI model or Azure deployment), or null when it names none. */
function chosenModel(form: SettingsForm): string | null {
  const name =
    form.provider === 'openai'
      ? form.openaiModel.trim()
      : form.provider === 'azure'
        ? form.azureDeployment.trim()
        : '';
  return name || null;
}

/** Rows of the price table: every priced model, plus the chosen one when no row prices it (snapshots use their base row). */
function priceRows(form: SettingsForm): string[] {
  const rows = Object.keys(form.prices);
  const chosen = chosenModel(form);
  if (chosen && !rows.some((m) => chosen === m || chosen.startsWith(`${m}-`))) rows.push(chosen);
  return rows;
}

/** OpenAI and Azure cannot be reached without a key (a custom server may not need one). */
const needsKey = (provider: Provider): boolean => provider === 'openai' || provider === 'azure';

/** A key is there to use: saved (and not about to be removed), or set by the environment. */
const keyAvailable = (view: SettingsView, removing: boolean): boolean =>
  view.apiKey.storage === 'env' || (view.apiKey.saved && !removing);

/** What a save means for the user: "Saved", or "Saved" and why Talkie still is not talking to the provider. */
function savedOutcome(view: SettingsView): { text: string; tone: 'ok' | 'warning' } {
  if (needsKey(view.settings.provider) && !keyAvailable(view, false))
    return { text: 'Saved. Talkie stays in Demo mode until you add a key.', tone: 'warning' };
  return { text: 'Saved', tone: 'ok' };
}

/** The dialog; mount a fresh one (new key) per opening so the form starts from the saved settings. */
export function SettingsDialog({
  open,
  view,
  shell,
  hotkey,
  forKey = false,
  onClose,
  onViewChange,
}: SettingsDialogProps): ReactElement {
  const dialog = useRef<HTMLDialogElement>(null);
  const [form, setForm] = useState<SettingsForm>(() => {
    const saved = toForm(view.settings);
    return forKey && saved.provider === 'simulator' ? { ...saved, provider: 'openai' } : saved;
  });
  const [errors, setErrors] = useState<FormErrors>({});
  const [apiKey, setApiKey] = useState('');
  const [apiKeyError, setApiKeyError] = useState<string | undefined>(undefined);
  const [devices, setDevices] = useState<DeviceList | null>(null);
  const [status, setStatus] = useState('');
  /** After a save: the words that say what happens now, and whether they are good news. */
  const [statusTone, setStatusTone] = useState<'ok' | 'warning' | null>(null);
  const [removingKey, setRemovingKey] = useState(false);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    const el = dialog.current;
    if (!el) return;
    if (open && !el.open) {
      el.showModal();
      if (forKey) el.querySelector<HTMLElement>('#api-key')?.focus();
    }
    if (!open && el.open) el.close();
  }, [open, forKey]);

  useEffect(() => {
    if (!open) return;
    let live = true;
    const bridge = getBridge();
    bridge['audio.listDevices']({})
      .then((list) => live && setDevices(list))
      .catch((e: unknown) => live && setDevices({ inputs: [], outputs: [], error: String(e) }));
    return () => {
      live = false;
    };
  }, [open]);

  const set = <K extends keyof SettingsForm>(key: K, value: SettingsForm[K]): void => {
    setForm((current) => ({ ...current, [key]: value }));
    setErrors((current) => {
      if (!(key in current)) return current;
      const rest = { ...current };
      delete rest[key];
      return rest;
    });
    setStatus('');
  };

  const save = async (): Promise<void> => {
    const result = formToPatch(form, view.settings);
    if (!result.ok) {
      setErrors(result.errors);
      setStatus('Check the highlighted fields.');
      // After React has marked the fields: the first one comes into view with the focus.
      window.requestAnimationFrame(() =>
        dialog.current
          ?.querySelector<HTMLElement>(
            'input[aria-invalid="true"], select[aria-invalid="true"], textarea[aria-invalid="true"]',
          )
          ?.focus(),
      );
      return;
    }
    setSaving(true);
    setStatus('');
    setStatusTone(null);
    setApiKeyError(undefined);
    const key = apiKey.trim() !== '' ? apiKey : undefined;
    let latest = view;
    try {
      if (removingKey && key === undefined) {
        // Removed before the settings change: the old key never goes to a new server (a connection
        // without a key is refused or stays in Demo mode, which is harmless).
        latest = await getBridge()['secret.clearApiKey']({});
        onViewChange(latest);
        setRemovingKey(false);
      }
      if (Object.keys(result.patch).length > 0 || key !== undefined) {
        // One command: main applies the settings and the key together, then reconnects once, so no
        // connection ever pairs the new endpoint with the old key (or the other way round).
        let answer: CommandResponse<'settings.save'>;
        try {
          answer = await getBridge()['settings.save']({
            patch: result.patch,
            ...(key === undefined
              ? {}
              : {
                  apiKey: key,
                  // Consent only means something where there is no keyring to encrypt with.
                  ...(view.apiKey.encryptionAvailable ? {} : { acceptPlaintext: form.allowPlaintextKey }),
                }),
          });
        } catch (e) {
          // Settings are only rejected field by field (below); a refusal of the whole save with a key in
          // it is about the key (storing it, or its shape), and neither was saved.
          if (key === undefined) throw e;
          setApiKeyError(e instanceof Error ? e.message : String(e));
          setStatus('The key was not saved.');
          return;
        }
        if (!answer.ok) {
          setErrors(toFormErrors(answer.errors));
          setStatus(answer.errors._ ?? 'Check the highlighted fields.');
          return;
        }
        latest = answer.view;
        onViewChange(answer.view);
        if (key !== undefined) {
          setApiKey('');
          setRemovingKey(false);
        }
      }
      setErrors({});
      const outcome = savedOutcome(latest);
      setStatus(outcome.text);
      setStatusTone(outcome.tone);
    } catch (e) {
      setStatus(`Could not save: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setSaving(false);
    }
  };

  const provider = form.provider;
  return (
    <dialog ref={dialog} className="dialog" aria-labelledby="settings-title" onClose={onClose}>
      <form
        className="dialog-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <header className="dialog-header">
          <h2 id="settings-title">Settings</h2>
          <button type="button" className="icon-button" aria-label="Close dialog" onClick={onClose}>
            <CloseIcon />
          </button>
        </header>

        <div className="dialog-body">
          {view.overrides.length > 0 && (
            <p className="callout callout-info">
              Set by the environment: <strong>{view.overrides.join(', ')}</strong>. While set, it takes
              precedence over the matching fields below.
            </p>
          )}

          <section className="settings-section" aria-labelledby="settings-connection">
            <h3 id="settings-connection">Connection</h3>
            <fieldset className="field provider-choice" aria-invalid={errors.provider ? true : undefined}>
              <legend className="field-label">Provider</legend>
              <div className="choice-grid">
                {PROVIDER_OPTIONS.map((option) => (
                  <label key={option.value} className="choice">
                    <input
                      type="radio"
                      name="provider"
                      value={option.value}
                      checked={provider === option.value}
                      aria-labelledby={`provider-${option.value}`}
                      aria-describedby={`provider-${option.value}-hint`}
                      onChange={() => set('provider', option.value)}
                    />
                    <span className="choice-text">
                      <span className="choice-label" id={`provider-${option.value}`}>
                        {option.label}
                      </span>
                      <span className="choice-hint" id={`provider-${option.value}-hint`}>
                        {option.hint}
                      </span>
                    </span>
                  </label>
                ))}
              </div>
              {errors.provider && <p className="field-error">{errors.provider}</p>}
            </fieldset>

            {(provider === 'openai' || provider === 'simulator') && (
              <Field
                id="openai-model"
                label="Model"
                error={errors.openaiModel}
                description={
                  provider === 'simulator'
                    ? 'The simulator answers as this model (its usage is priced as this model).'
                    : 'Any Realtime model name; a new model starts a new session.'
                }
              >
                {(control) => (
                  <>
                    <input
                      {...control}
                      className="input"
                      value={form.openaiModel}
                      onChange={(e) => set('openaiModel', e.target.value)}
                    />
                    <div className="model-picks" role="group" aria-label="Suggested models">
                      {SUGGESTED_MODELS.map((model) => (
                        <button
                          key={model}
                          type="button"
                          className="button button-small"
                          aria-pressed={form.openaiModel.trim() === model}
                          onClick={() => set('openaiModel', model)}
                        >
                          {model}
                        </button>
                      ))}
                    </div>
                  </>
                )}
              </Field>
            )}
            {provider === 'azure' && (
              <div className="field-pair">
                <InputField
                  id="azure-resource"
                  label="Azure resource"
                  error={errors.azureResource}
                  description="Resource name or https://….openai.azure.com"
                  className="input"
                  value={form.azureResource}
                  onChange={(value) => set('azureResource', value)}
                />
                <InputField
                  id="azure-deployment"
                  label="Deployment"
                  error={errors.azureDeployment}
                  className="input"
                  value={form.azureDeployment}
                  onChange={(value) => set('azureDeployment', value)}
                />
              </div>
            )}
            {provider === 'custom' && (
              <InputField
                id="custom-url"
                label="Server URL"
                error={errors.customUrl}
                description="A ws:// or wss:// address of a server speaking the Realtime GA protocol"
                className="input"
                inputMode="url"
                placeholder="wss://example.com/v1/realtime"
                value={form.customUrl}
                onChange={(value) => set('customUrl', value)}
              />
            )}
            {provider !== 'simulator' && (
              <ApiKeySection
                view={view}
                provider={provider}
                value={apiKey}
                error={apiKeyError}
                acceptPlaintext={form.allowPlaintextKey}
                removing={removingKey}
                onChange={(value) => {
                  setApiKey(value);
                  setApiKeyError(undefined);
                  setStatus('');
                }}
                onAcceptPlaintextChange={(accept) => set('allowPlaintextKey', accept)}
                onRemovingChange={(removing) => {
                  setRemovingKey(removing);
                  setStatus('');
                }}
              />
            )}
            {needsKey(provider) && !keyAvailable(view, removingKey) && apiKey.trim() === '' && (
              <p className="callout callout-warning" id="demo-without-key">
                Without a key Talkie stays in Demo mode (the local simulator) until you add one.
              </p>
            )}
            <InputField
              id="session-limit"
              label="Session length limit (minutes)"
              error={errors.sessionLimitMinutes}
              description={`Before this, between turns, Talkie opens a new session and carries the conversation over. Empty: ${
                provider === 'azure'
                  ? 'Azure’s 30 minutes'
                  : provider === 'openai'
                    ? 'OpenAI’s 60 minutes'
                    : 'no limit'
              }.`}
              className="input"
              type="number"
              inputMode="numeric"
              min={1}
              max={1440}
              step={1}
              placeholder={provider === 'azure' ? '30' : provider === 'openai' ? '60' : ''}
              value={form.sessionLimitMinutes}
              onChange={(value) => set('sessionLimitMinutes', value)}
            />
            <InputField
              id="truncation-retention"
              label="Truncation retention ratio"
              error={errors.truncationRetention}
              description="When a long conversation outgrows the model's context, keep this fraction of it (e.g. 0.8): fewer, larger cuts keep more of the prompt cache. Empty: the server's default."
              className="input"
              type="number"
              inputMode="decimal"
              min={0.1}
              max={1}
              step={0.05}
              value={form.truncationRetention}
              onChange={(value) => set('truncationRetention', value)}
            />
            <label className="checkbox">
              <input
                type="checkbox"
                checked={form.autoTitles}
                onChange={(e) => set('autoTitles', e.target.checked)}
              />
              <span>
                Name conversations with a short title from the model (one small extra request per
                conversation)
              </span>
            </label>
            <label className="checkbox">
              <input
                type="checkbox"
                checked={form.carryOverSummary}
                onChange={(e) => set('carryOverSummary', e.target.checked)}
              />
              <span>
                Carry a long conversation into a new session as a summary and its last turns (costs a summary,
                saves resending the whole transcript)
              </span>
            </label>
          </section>

          <section className="settings-section" aria-labelledby="settings-voice">
            <h3 id="settings-voice">Voice and instructions</h3>
            <SelectField
              id="voice"
              label="Voice"
              error={errors.voice}
              description="A session keeps its voice once the assistant has spoken: a new voice applies from the next session."
              className="input"
              value={form.voice}
              onChange={(value) => set('voice', value)}
            >
              {VOICES.map((voice) => (
                <option key={voice} value={voice}>
                  {capitalise(voice)}
                </option>
              ))}
            </SelectField>
            <TextAreaField
              id="session-instructions"
              label="Session instructions"
              error={errors.sessionInstructions}
              description="Apply to every turn. Leave empty to use the model's defaults."
              className="input"
              rows={3}
              value={form.sessionInstructions}
              onChange={(value) => set('sessionInstructions', value)}
            />
          </section>

          <section className="settings-section" aria-labelledby="settings-cost">
            <h3 id="settings-cost">Cost</h3>
            <p className="field-hint" id="prices-description">
              Each turn shows the tokens the server reported and an estimate at these prices, in US dollars
              per 1M tokens. Filled in with OpenAI&apos;s published prices as of {PRICES_AS_OF}; change them
              to match your plan. Cached input is part of the input and is charged at the cached price only.
            </p>
            <div className="price-table-scroll">
              <table className="price-table" aria-describedby="prices-description">
                <caption className="visually-hidden">Prices per 1M tokens</caption>
                <thead>
                  <tr>
                    <th scope="col">Model</th>
                    {PRICE_FIELDS.map((field) => (
                      <th key={field} scope="col">
                        {PRICE_LABEL[field].column}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {priceRows(form).map((model) => (
                    <tr key={model}>
                      <th scope="row">{model}</th>
                      {PRICE_FIELDS.map((field) => (
                        <td key={field}>
                          <input
                            className="input input-small"
                            type="number"
                            inputMode="decimal"
                            min={0}
                            step="any"
                            aria-label={`${model} ${PRICE_LABEL[field].name} price`}
                            aria-invalid={errors.prices ? true : undefined}
                            value={form.prices[model]?.[field] ?? ''}
                            onChange={(e) =>
                              set('prices', {
                                ...form.prices,
                                [model]: {
                                  ...(form.prices[model] ?? priceRowForm(undefined)),
                                  [field]: e.target.value,
                                },
                              })
                            }
                          />
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {errors.prices && <p className="field-error">{errors.prices}</p>}
            <InputField
              id="monthly-budget"
              label="Monthly budget (USD)"
              error={errors.monthlyBudgetUsd}
              description="A notice appears when this month's estimated cost, all conversations together, passes it. Empty: no budget."
              className="input"
              type="number"
              inputMode="decimal"
              min={0.01}
              step="any"
              value={form.monthlyBudgetUsd}
              onChange={(value) => set('monthlyBudgetUsd', value)}
            />
          </section>

          <section className="settings-section" aria-labelledby="settings-audio">
            <h3 id="settings-audio">Audio</h3>
            {devices?.error && <p className="callout callout-warning">{devices.error}</p>}
            <DeviceField
              kind="input"
              label="Microphone"
              devices={devices?.inputs ?? []}
              value={form.inputDevice}
              error={errors.inputDevice}
              onChange={(device) => set('inputDevice', device)}
            />
            <DeviceField
              kind="output"
              label="Speaker"
              devices={devices?.outputs ?? []}
              value={form.outputDevice}
              error={errors.outputDevice}
              onChange={(device) => set('outputDevice', device)}
            />
            <SelectField
              id="noise-reduction"
              label="Noise reduction"
              error={errors.noiseReduction}
              description="Done by the server on your microphone's audio. Turning it off applies from the next session."
              className="input"
              value={form.noiseReduction}
              onChange={(value) => set('noiseReduction', value)}
            >
              <option value="off">Off</option>
              <option value="near_field">Near field (headset, laptop microphone)</option>
              <option value="far_field">Far field (room or conference microphone)</option>
            </SelectField>
            <label className="checkbox">
              <input
                type="checkbox"
                checked={form.soundCues}
                onChange={(e) => set('soundCues', e.target.checked)}
              />
              <span>Sound cues (a short sound when talking starts, stops, or a turn fails)</span>
            </label>
            <InputField
              id="cue-volume"
              label="Cue volume"
              error={errors.cueVolume}
              type="range"
              min={0}
              max={100}
              step={5}
              disabled={!form.soundCues}
              value={form.cueVolume}
              onChange={(value) => set('cueVolume', Number(value))}
            />
            <div className="field-pair">
              {provider === 'azure' ? (
                <InputField
                  id="azure-transcription-deployment"
                  // Not named "…deployment": the connection's "Deployment" field keeps its name to itself.
                  label="Azure transcription"
                  error={errors.azureTranscriptionDeployment}
                  description="The name of your deployment of a transcription model (e.g. gpt-4o-mini-transcribe) in this resource. Empty: no transcripts of what you say."
                  className="input"
                  value={form.azureTranscriptionDeployment}
                  onChange={(value) => set('azureTranscriptionDeployment', value)}
                />
              ) : (
                <Field
                  id="transcription-model"
                  label="Transcription model"
                  error={errors.transcriptionModel}
                  description="Writes down what you say. Empty: no transcripts (turning them off applies from the next session)."
                >
                  {(control) => (
                    <>
                      <input
                        {...control}
                        className="input"
                        list="transcription-models"
                        value={form.transcriptionModel}
                        onChange={(e) => set('transcriptionModel', e.target.value)}
                      />
                      <datalist id="transcription-models">
                        {TRANSCRIPTION_MODELS.map((model) => (
                          <option key={model} value={model} />
                        ))}
                      </datalist>
                    </>
                  )}
                </Field>
              )}
              <InputField
                id="transcription-language"
                label="Transcription language"
                error={errors.transcriptionLanguage}
                description="A language code such as en or fr helps accuracy. Empty: detected."
                className="input"
                placeholder="auto"
                value={form.transcriptionLanguage}
                onChange={(value) => set('transcriptionLanguage', value)}
              />
            </div>
            <div className="field-pair">
              <SelectField
                id="audio-format"
                label="Audio format on the wire"
                error={errors.audioFormat}
                className="input"
                value={form.audioFormat}
                onChange={(value) => set('audioFormat', value)}
              >
                {AUDIO_FORMATS.map((format) => (
                  <option key={format} value={format}>
                    {FORMAT_LABEL[format]}
                  </option>
                ))}
              </SelectField>
              <InputField
                id="stall-timeout"
                label="Stall timeout (seconds)"
                error={errors.stallTimeoutSeconds}
                description="A reply with no news for this long is cancelled and can be retried."
                className="input"
                type="number"
                inputMode="decimal"
                min={2}
                max={120}
                step={1}
                value={form.stallTimeoutSeconds}
                onChange={(value) => set('stallTimeoutSeconds', value)}
              />
            </div>
          </section>

          <section className="settings-section" aria-labelledby="settings-images">
            <h3 id="settings-images">Images</h3>
            <div className="field-pair">
              <InputField
                id="image-max-side"
                label="Longest side (pixels)"
                error={errors.imageMaxSide}
                description="Attached images and screen captures are scaled down to this before sending."
                className="input"
                type="number"
                inputMode="numeric"
                min={256}
                max={4096}
                step={1}
                value={Number.isFinite(form.imageMaxSide) ? form.imageMaxSide : ''}
                onChange={(value) => set('imageMaxSide', value === '' ? Number.NaN : Number(value))}
              />
              <SelectField
                id="image-detail"
                label="Detail"
                error={errors.imageDetail}
                description="How closely the model looks at each image; Low costs less."
                className="input"
                value={form.imageDetail}
                onChange={(value) => set('imageDetail', value)}
              >
                {IMAGE_DETAILS.map((detail) => (
                  <option key={detail} value={detail}>
                    {detail === 'auto' ? 'Auto' : detail === 'low' ? 'Low' : 'High'}
                  </option>
                ))}
              </SelectField>
            </div>
            <SelectField
              id="carry-images"
              label="Earlier images in a new session"
              error={errors.carryImages}
              description="When a conversation continues in a new session (reconnect, Continue here): send its images again, or only a note such as [image: 1536×864 JPEG]."
              className="input"
              value={form.carryImages}
              onChange={(value) => set('carryImages', value)}
            >
              <option value="as-sent">As sent</option>
              <option value="placeholder">As a short text placeholder</option>
            </SelectField>
          </section>

          <section className="settings-section" aria-labelledby="settings-hotkey">
            <h3 id="settings-hotkey">Hotkey</h3>
            <div className="field-pair">
              <InputField
                id="hotkey"
                label="Hotkey"
                error={errors.hotkey}
                description="Works while other apps have focus, e.g. F9 or Control+Shift+Space"
                className="input"
                spellCheck={false}
                value={form.hotkey}
                onChange={(value) => set('hotkey', value)}
              />
              <SelectField
                id="hotkey-mode"
                label="Hotkey mode"
                error={errors.hotkeyMode}
                description={hotkey?.reason}
                className="input"
                value={form.hotkeyMode}
                onChange={(value) => set('hotkeyMode', value)}
              >
                <option value="auto">Automatic</option>
                <option value="hold">Hold the key to talk</option>
                <option value="toggle">Press to start, again to send</option>
              </SelectField>
            </div>
            {hotkey?.modeKeys && hotkey.modeKeys.length > 0 && (
              <ul className="mode-keys" aria-label="Mode keys">
                {hotkey.modeKeys.map((key) => (
                  <li key={key.modeId} className={key.mode === 'off' ? 'field-error' : 'field-hint'}>
                    <strong>
                      {form.modes.find((m) => m.id === key.modeId)?.name ?? key.modeId} ({key.accelerator}):
                    </strong>{' '}
                    {key.mode === 'off' ? 'not working. ' : ''}
                    {key.reason}
                  </li>
                ))}
              </ul>
            )}
            <div className="field-pair">
              <InputField
                id="capture-hotkey"
                label="Capture screen key"
                error={errors.captureHotkey}
                description="Optional: press it anywhere to attach a capture of the screen to your next turn. Empty: no key."
                className="input"
                spellCheck={false}
                placeholder="None"
                value={form.captureHotkey}
                onChange={(value) => set('captureHotkey', value)}
              />
              <SelectField
                id="talk-capture-modifier"
                label="Talk with a screen capture"
                error={errors.talkCaptureModifier}
                description={
                  form.talkCaptureModifier === 'off'
                    ? 'Off: add a modifier to the hotkey to attach a capture of the screen to that turn.'
                    : `Hold ${form.talkCaptureModifier}+${form.hotkey} to talk with a capture of the screen attached.`
                }
                className="input"
                value={form.talkCaptureModifier}
                onChange={(value) => set('talkCaptureModifier', value)}
              >
                {CAPTURE_MODIFIERS.map((modifier) => (
                  <option key={modifier} value={modifier}>
                    {modifier === 'off' ? 'Off' : `${modifier} + hotkey`}
                  </option>
                ))}
              </SelectField>
            </div>
          </section>

          <ModesSection modes={form.modes} error={errors.modes} onChange={(modes) => set('modes', modes)} />

          <ToolsSection />

          {shell === 'electron' && (
            <section className="settings-section" aria-labelledby="settings-desktop">
              <h3 id="settings-desktop">Desktop</h3>
              <label className="checkbox">
                <input
                  type="checkbox"
                  checked={form.closeToTray}
                  onChange={(e) => set('closeToTray', e.target.checked)}
                />
                <span>Keep running in the tray when the window is closed</span>
              </label>
              <label className="checkbox">
                <input
                  type="checkbox"
                  checked={form.startAtLogin}
                  onChange={(e) => set('startAtLogin', e.target.checked)}
                />
                <span>Start at login</span>
              </label>
              <label className="checkbox">
                <input
                  type="checkbox"
                  checked={form.startHidden}
                  onChange={(e) => set('startHidden', e.target.checked)}
                />
                <span>Start hidden in the tray</span>
              </label>
            </section>
          )}
        </div>

        <footer className="dialog-footer">
          <p className={`dialog-status ${statusTone ? `dialog-status-${statusTone}` : ''}`} role="status">
            {status}
          </p>
          <button type="button" className="button" onClick={onClose}>
            Close
          </button>
          <button type="submit" className="button button-primary" disabled={saving}>
            Save
          </button>
        </footer>
      </form>
    </dialog>
  );
}
