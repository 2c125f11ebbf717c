/**
 * The settings form's model: the form holds what the user typed (the stall timeout in seconds as
 * text), and is turned into a validated patch with the shared schema, so the window shows the very
 * messages main would send back. Pure, unit-tested.
 */
import {
  SettingsSchema,
  captureKeyErrors,
  endpointErrors,
  fieldErrors,
  type FieldErrors,
  type Settings,
  type SettingsPatch,
} from '../../../shared/settings';
import { PRICE_FIELDS, type ModelPrices, type PriceTable } from '../../../shared/usage';

/** A model's prices as typed (USD per 1M tokens), one text per kind. */
export type PriceRowForm = Record<keyof ModelPrices, string>;

/**
 * Settings as edited: every field as in Settings, except the stall timeout as typed, in seconds, and the prices as
 * typed (a row left wholly empty is not saved).
 */
export type SettingsForm = Omit<
  Settings,
  'stallTimeoutMs' | 'prices' | 'sessionLimitMinutes' | 'truncationRetention' | 'monthlyBudgetUsd'
> & {
  stallTimeoutSeconds: string;
  /** Empty: the provider's limit. */
  sessionLimitMinutes: string;
  /** Empty: the server's own truncation. */
  truncationRetention: string;
  /** Empty: no budget. */
  monthlyBudgetUsd: string;
  prices: Record<string, PriceRowForm>;
};

/** A price row as typed. */
export function priceRowForm(prices: ModelPrices | undefined): PriceRowForm {
  const row = {} as PriceRowForm;
  for (const field of PRICE_FIELDS) row[field] = prices ? String(prices[field]) : '';
  return row;
}

/** The typed prices as a table, or the first problem in words. Wholly empty rows are left out. */
export function pricesFromForm(
  form: Record<string, PriceRowForm>,
): { ok: true; table: PriceTable } | { ok: false; error: string } {
  const table: PriceTable = {};
  for (const [model, row] of Object.entries(form)) {
    if (PRICE_FIELDS.every((f) => row[f].trim() === '')) continue;
    const prices = {} as ModelPrices;
    for (const field of PRICE_FIELDS) {
      const text = row[field].trim();
      const value = text === '' ? Number.NaN : Number(text);
      if (!Number.isFinite(value) || value < 0)
        return { ok: false, error: `Enter every price for ${model} in dollars per 1M tokens (0 or more)` };
      prices[field] = value;
    }
    table[model] = prices;
  }
  return { ok: true, table };
}

/** Form field name → message. The stall timeout's message is shown on the seconds field. */
export type FormErrors = Partial<Record<keyof SettingsForm | '_', string>>;

/** The form for saved settings. */
export function toForm(settings: Settings): SettingsForm {
  const { stallTimeoutMs, prices, sessionLimitMinutes, truncationRetention, monthlyBudgetUsd, ...rest } =
    settings;
  const rows: Record<string, PriceRowForm> = {};
  for (const [model, row] of Object.entries(prices)) rows[model] = priceRowForm(row);
  return {
    ...rest,
    stallTimeoutSeconds: String(stallTimeoutMs / 1000),
    sessionLimitMinutes: sessionLimitMinutes === null ? '' : String(sessionLimitMinutes),
    truncationRetention: truncationRetention === null ? '' : String(truncationRetention),
    monthlyBudgetUsd: monthlyBudgetUsd === null ? '' : String(monthlyBudgetUsd),
    prices: rows,
  };
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
  const {
    stallTimeoutSeconds,
    prices: typedPrices,
    sessionLimitMinutes: typedLimit,
    truncationRetention: typedRatio,
    monthlyBudgetUsd: typedBudget,
    ...rest
  } = form;
  const seconds = stallTimeoutSeconds.trim() === '' ? Number.NaN : Number(stallTimeoutSeconds);
  if (!Number.isFinite(seconds))
    return { ok: false, errors: { stallTimeoutSeconds: 'Enter a number of seconds' } };
  const prices = pricesFromForm(typedPrices);
  if (!prices.ok) return { ok: false, errors: { prices: prices.error } };
  const limitText = typedLimit.trim();
  const candidate = {
    ...rest,
    // Round so 2.5 s is 2500 ms, not 2499.9999.
    stallTimeoutMs: Math.round(seconds * 1000),
    // Empty: the provider's limit; anything else must be a number the schema accepts.
    sessionLimitMinutes: limitText === '' ? null : Number(limitText),
    truncationRetention: optionalNumber(typedRatio),
    monthlyBudgetUsd: optionalNumber(typedBudget),
    prices: prices.table,
  };
  const parsed = SettingsSchema.safeParse(candidate);
  if (!parsed.success) return { ok: false, errors: toFormErrors(fieldErrors(parsed.error)) };
  // Each field is fine on its own; the chosen provider must also have what it needs to connect.
  const missing = endpointErrors(parsed.data);
  if (Object.keys(missing).length > 0) return { ok: false, errors: toFormErrors(missing) };
  const clash = captureKeyErrors(parsed.data);
  if (Object.keys(clash).length > 0) return { ok: false, errors: toFormErrors(clash) };
  const patch: Record<string, unknown> = {};
  for (const key of Object.keys(parsed.data) as Array<keyof Settings>) {
    // The chosen mode is chosen in the Talk area and the tray, not here: a stale copy must not undo that.
    if (key === 'modeId') continue;
    // Objects and lists (the price table, the modes) compare by content: an untouched one is not sent back.
    if (JSON.stringify(parsed.data[key]) !== JSON.stringify(saved[key])) patch[key] = parsed.data[key];
  }
  return { ok: true, patch: patch as SettingsPatch };
}

/** A number field where empty means "none": null, else the number typed (the schema says what is wrong with it). */
function optionalNumber(text: string): number | null {
  const trimmed = text.trim();
  return trimmed === '' ? null : Number(trimmed);
}
