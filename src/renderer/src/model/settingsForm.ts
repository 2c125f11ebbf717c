/**
 * The settings form's model: the form holds what the user typed (the stall timeout in seconds as
 * text), and is turned into a validated patch with the shared schema, so the window shows the very
 * messages main would send back. Pure, unit-tested.
 */
import {
  SettingsSchema,
  endpointErrors,
  fieldErrors,
  type FieldErrors,
  type Settings,
  type SettingsPatch,
} from '../../../shared/settings';

/** Settings as edited: every field as in Settings, except the stall timeout as typed, in seconds. */
export type SettingsForm = Omit<Settings, 'stallTimeoutMs'> & { stallTimeoutSeconds: string };

/** Form field name → message. The stall timeout's message is shown on the seconds field. */
export type FormErrors = Partial<Record<keyof SettingsForm | '_', string>>;

/** The form for saved settings. */
export function toForm(settings: Settings): SettingsForm {
  const { stallTimeoutMs, ...rest } = settings;
  return { ...rest, stallTimeoutSeconds: String(stallTimeoutMs / 1000) };
}

/** Maps main's (or the schema's) field errors onto form fields. */
export function toFormErrors(errors: FieldErrors): FormErrors {
  const { stallTimeoutMs, ...rest } = errors;
  return stallTimeoutMs === undefined ? rest : { ...rest, stallTimeoutSeconds: stallTimeoutMs };
}

export type FormResult = { ok: true; patch: SettingsPatch } | { ok: false; errors: FormErrors };

/**
 * Validates the whole form and returns only the fields that differ from `saved` (so fields the user
 * did not touch, e.g. ones an environment variable overrides, are not rewritten).
 */
export function formToPatch(form: SettingsForm, saved: Settings): FormResult {
  const { stallTimeoutSeconds, ...rest } = form;
  const seconds = stallTimeoutSeconds.trim() === '' ? Number.NaN : Number(stallTimeoutSeconds);
  if (!Number.isFinite(seconds))
    return { ok: false, errors: { stallTimeoutSeconds: 'Enter a number of seconds' } };
  // Round so 2.5 s is 2500 ms, not 2499.9999.
  const candidate = { ...rest, stallTimeoutMs: Math.round(seconds * 1000) };
  const parsed = SettingsSchema.safeParse(candidate);
  if (!parsed.success) return { ok: false, errors: toFormErrors(fieldErrors(parsed.error)) };
  // Each field is fine on its own; the chosen provider must also have what it needs to connect.
  const missing = endpointErrors(parsed.data);
  if (Object.keys(missing).length > 0) return { ok: false, errors: toFormErrors(missing) };
  const patch: Record<string, unknown> = {};
  for (const key of Object.keys(parsed.data) as Array<keyof Settings>) {
    // The chosen mode is chosen in the Talk area and the tray, not here: a stale copy must not undo that.
    if (key === 'modeId') continue;
    // Modes are a list: compared by value, so an untouched list is not sent back.
    if (JSON.stringify(parsed.data[key]) !== JSON.stringify(saved[key])) patch[key] = parsed.data[key];
  }
  return { ok: true, patch: patch as SettingsPatch };
}
