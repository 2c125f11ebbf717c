/**
 * The settings schema, shared by main (validation, storage) and the renderer (field messages).
 * One source of truth: the TypeScript type is inferred from the schema.
 */
import { z } from 'zod';
import { DEFAULT_PRICES } from './usage';

/** Built-in GA voices (RealtimeResponseCreateParams.audio.output.voice in the official spec). */
export const VOICES = [
  'marin',
  'cedar',
  'alloy',
  'ash',
  'ballad',
  'coral',
  'echo',
  'sage',
  'shimmer',
  'verse',
] as const;

export const PROVIDERS = ['simulator', 'openai', 'azure', 'custom'] as const;
export type Provider = (typeof PROVIDERS)[number];

/** Wire audio formats the socket accepts: PCM16 24 kHz, or G.711 at 8 kHz. */
export const AUDIO_FORMATS = ['audio/pcm', 'audio/pcmu', 'audio/pcma'] as const;

/** The GA input_image `detail` values. */
export const IMAGE_DETAILS = ['auto', 'low', 'high'] as const;
export type ImageDetail = (typeof IMAGE_DETAILS)[number];

/** How earlier turns' images go into a new session: as they were sent, or as a short text placeholder. */
export const CARRY_IMAGES = ['as-sent', 'placeholder'] as const;
export type CarryImages = (typeof CARRY_IMAGES)[number];

/** Modifiers that may be added to the push-to-talk key to capture the screen with that turn. */
export const CAPTURE_MODIFIERS = ['off', 'Shift', 'Alt', 'Control'] as const;
export type CaptureModifier = (typeof CAPTURE_MODIFIERS)[number];

/** Electron accelerator syntax, e.g. "F9", "CommandOrControl+Shift+Space". */
const ACCELERATOR =
  /^((CommandOrControl|CmdOrCtrl|Command|Cmd|Control|Ctrl|Alt|Option|AltGr|Shift|Super|Meta)\+)*([A-Z0-9]|F([1-9]|1[0-9]|2[0-4])|Space|Tab|Backspace|Delete|Insert|Return|Enter|Up|Down|Left|Right|Home|End|PageUp|PageDown|Escape|Esc|[`\-=[\]\\;',./])$/;

/** Azure resource names: letters, digits and hyphens (the subdomain of the endpoint). */
const AZURE_RESOURCE_NAME = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/i;
const AZURE_HOST_SUFFIXES = ['.openai.azure.com', '.cognitiveservices.azure.com', '.services.ai.azure.com'];

/**
 * Why an Azure resource cannot be used, or null when it can: a resource name ("my-resource") or an endpoint on
 * an Azure OpenAI host ("my-resource.openai.azure.com", "https://my-resource.openai.azure.com/…"). The same
 * rule as main's endpoint resolution, so the window never saves what main could not connect to.
 */
export function azureResourceProblem(input: string): string | null {
  const raw = input.trim();
  if (!raw) return 'Enter your Azure OpenAI resource name (e.g. my-resource) or its endpoint URL';
  if (AZURE_RESOURCE_NAME.test(raw)) return null;
  let hostname = '';
  try {
    const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`;
    hostname = new URL(withScheme).hostname.toLowerCase();
  } catch {
    // Not a URL either: the message below says what would be.
  }
  if (hostname && AZURE_HOST_SUFFIXES.some((s) => hostname.endsWith(s) && hostname.length > s.length))
    return null;
  return 'Use the resource name (e.g. my-resource) or an endpoint like https://my-resource.openai.azure.com';
}

const price = z
  .number({ error: 'Enter a price in dollars per 1M tokens' })
  .min(0, 'A price cannot be negative')
  .max(100000, 'At most $100,000 per 1M tokens');
/** USD per 1M tokens for one model (see usage.ts). */
const ModelPricesSchema = z
  .object({
    textInput: price,
    textCachedInput: price,
    textOutput: price,
    audioInput: price,
    audioCachedInput: price,
    audioOutput: price,
    imageInput: price,
    imageCachedInput: price,
  })
  .strict();
/** A name for a mode's id: lowercase letters, digits and hyphens (stable across renames). */
const MODE_ID = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

/**
 * A mode: a named preset of the per-turn options (Reply as, instructions, add or replace), chosen in the
 * window or the tray, with an optional global key that holds to talk in that mode.
 */
export const ModeSchema = z
  .object({
    id: z.string().regex(MODE_ID, 'A mode id is lowercase letters, digits and hyphens'),
    name: z.string().trim().min(1, 'Give the mode a name').max(60, 'At most 60 characters'),
    replyAs: z.enum(['voice', 'text']),
    /** Empty = the session instructions apply unchanged. */
    instructions: z.string().max(20000),
    instructionsMode: z.enum(['append', 'replace']),
    /** Hold this key (anywhere) to talk in this mode; null = no key of its own. */
    hotkey: z.string().trim().regex(ACCELERATOR, 'Use a key like F9 or Control+Shift+Space').nullable(),
  })
  .strict();
export type Mode = z.infer<typeof ModeSchema>;

/** The chosen mode (the first one if the choice is missing, which the store never keeps). */
export function chosenMode(settings: Pick<Settings, 'modes' | 'modeId'>): Mode | undefined {
  return settings.modes.find((mode) => mode.id === settings.modeId) ?? settings.modes[0];
}

/**
 * The mode a command line names (`talkie --press --mode "Translate to French"`): by id, or by name with case and
 * surrounding spaces ignored; otherwise why not, naming the modes there are.
 */
export function findMode(
  modes: readonly Mode[],
  query: string,
): { ok: true; mode: Mode } | { ok: false; error: string } {
  const wanted = query.trim();
  const mode =
    modes.find((m) => m.id === wanted) ?? modes.find((m) => m.name.toLowerCase() === wanted.toLowerCase());
  if (mode) return { ok: true, mode };
  const names = modes.map((m) => `"${m.name}"`).join(', ');
  return {
    ok: false,
    error: `There is no mode "${wanted}". The modes are ${names} (a mode's id works too).`,
  };
}

/** The per-turn options a mode stands for. */
export function modeOptions(mode: Mode): {
  replyAs: Mode['replyAs'];
  instructions: string;
  instructionsMode: Mode['instructionsMode'];
} {
  return { replyAs: mode.replyAs, instructions: mode.instructions, instructionsMode: mode.instructionsMode };
}

/** Modes are told apart by id, shown by name and reached by key: none of those may repeat. */
const ModesSchema = z
  .array(ModeSchema)
  .min(1, 'Keep at least one mode')
  .max(20, 'At most 20 modes')
  .superRefine((modes, ctx) => {
    const seen = { id: new Set<string>(), name: new Set<string>(), hotkey: new Set<string>() };
    for (const mode of modes) {
      const name = mode.name.trim().toLowerCase();
      const key = mode.hotkey?.toLowerCase() ?? null;
      if (seen.id.has(mode.id))
        ctx.addIssue({ code: 'custom', message: `Two modes share the id "${mode.id}"` });
      else if (seen.name.has(name))
        ctx.addIssue({ code: 'custom', message: `Two modes are called "${mode.name.trim()}"` });
      else if (key !== null && seen.hotkey.has(key))
        ctx.addIssue({ code: 'custom', message: `Two modes use the key ${mode.hotkey ?? ''}` });
      seen.id.add(mode.id);
      seen.name.add(name);
      if (key !== null) seen.hotkey.add(key);
    }
  });

/** The modes a new (or pre-modes) settings file starts with. */
export const DEFAULT_MODES: readonly Mode[] = Object.freeze([
  {
    id: 'default',
    name: 'Default',
    replyAs: 'voice',
    instructions: '',
    instructionsMode: 'append',
    hotkey: null,
  },
  {
    id: 'translate-french',
    name: 'Translate to French',
    replyAs: 'voice',
    instructions:
      'Translate what the user says into French. Reply with the French translation only: no comments, no answers.',
    instructionsMode: 'replace',
    hotkey: null,
  },
  {
    id: 'short-answers',
    name: 'Short answers',
    replyAs: 'voice',
    instructions: 'Answer in one or two short sentences.',
    instructionsMode: 'append',
    hotkey: null,
  },
] satisfies Mode[]);

const fields = {
  provider: z.enum(PROVIDERS),
  /** OpenAI: model name in the URL (?model=). */
  openaiModel: z.string().trim().min(1, 'Enter a model name, e.g. gpt-realtime').max(200),
  /** Azure: resource name ("my-resource") or endpoint URL ("https://my-resource.openai.azure.com"). */
  // What they must be is checked with the provider (endpointErrors): kept while another provider is chosen.
  azureResource: z.string().trim().max(300),
  /** Azure: deployment name, sent as ?model=<deployment>. */
  azureDeployment: z.string().trim().max(200),
  /** Custom: any ws:// or wss:// URL speaking the GA protocol. */
  customUrl: z
    .string()
    .trim()
    .max(2000)
    .refine((v) => v === '' || /^wss?:\/\/[^\s]+$/i.test(v), 'Use a ws:// or wss:// URL'),
  voice: z.enum(VOICES),
  /** Session instructions; empty means "the server's defaults" and is never sent as "". */
  sessionInstructions: z.string().max(20000),
  audioFormat: z.enum(AUDIO_FORMATS),
  /** Server-side input noise reduction: near_field (headset, laptop mic), far_field (room mic), or off. */
  noiseReduction: z.enum(['off', 'near_field', 'far_field']),
  /**
   * Model that writes down what the user said (`audio.input.transcription.model`); empty = no transcripts.
   * OpenAI offers gpt-4o-transcribe, gpt-4o-mini-transcribe and whisper-1, among others (any name is sent).
   */
  transcriptionModel: z.string().trim().max(200),
  /** ISO-639-1 code of the language spoken (e.g. "en"), which helps accuracy; empty = detected. */
  transcriptionLanguage: z
    .string()
    .trim()
    .refine((v) => v === '' || /^[a-z]{2,3}$/i.test(v), 'Use a two-letter language code, e.g. en or fr'),
  /** Azure: the deployment of a transcription model in the same resource; empty = no transcripts. */
  azureTranscriptionDeployment: z
    .string()
    .trim()
    .max(200)
    .refine((v) => !/\s/.test(v), 'A deployment name has no spaces'),
  /**
   * When the conversation outgrows the context window, keep this fraction of it (GA `truncation`
   * retention_ratio: fewer, larger cuts keep more of the prompt cache); null = the server's default ("auto").
   */
  truncationRetention: z
    .number({ error: 'Enter a fraction between 0.1 and 1, e.g. 0.8' })
    .min(0.1, 'At least 0.1')
    .max(1, 'At most 1')
    .nullable(),
  /** After the first exchange, ask the model (out of band) for a short conversation title. */
  autoTitles: z.boolean(),
  /** A long conversation carried into a new session goes as a summary plus its last turns. */
  carryOverSummary: z.boolean(),
  /** Warn when this month's estimated cost passes this many US dollars; null = no budget. */
  monthlyBudgetUsd: z
    .number({ error: 'Enter an amount in US dollars' })
    .min(0.01, 'At least $0.01')
    .max(1_000_000, 'At most $1,000,000')
    .nullable(),
  /** Short start, stop and error sounds (played by main, kept out of what is sent). */
  soundCues: z.boolean(),
  /** Loudness of the sound cues, 0–100 (0 plays nothing). */
  cueVolume: z
    .number({ error: 'Enter a volume from 0 to 100' })
    .int('Whole numbers only')
    .min(0, 'At least 0')
    .max(100, 'At most 100'),
  /** Devices are chosen by stable name; null = system default. */
  inputDevice: z.string().max(500).nullable(),
  outputDevice: z.string().max(500).nullable(),
  /** Stall watchdog: no server event for the active response for this long → cancel and fail. */
  stallTimeoutMs: z
    .number()
    .int('Whole milliseconds only')
    .min(2000, 'At least 2 seconds')
    .max(120000, 'At most 120 seconds'),
  hotkey: z.string().trim().regex(ACCELERATOR, 'Use a key like F9 or Control+Shift+Space'),
  /** auto = hold where key-up can be observed, toggle elsewhere (Wayland). */
  hotkeyMode: z.enum(['auto', 'hold', 'toggle']),
  closeToTray: z.boolean(),
  startAtLogin: z.boolean(),
  startHidden: z.boolean(),
  /** The user explicitly accepted storing the API key without OS encryption (no keyring available). */
  allowPlaintextKey: z.boolean(),
  /**
   * Move to a new session (between turns, the conversation carried over) before this many minutes; null = the
   * provider's limit (60 for OpenAI, 30 for Azure).
   */
  sessionLimitMinutes: z
    .number({ error: 'Enter a number of minutes' })
    .int('Whole minutes only')
    .min(1, 'At least 1 minute')
    .max(1440, 'At most 1,440 minutes (a day)')
    .nullable(),
  /** Model → USD per 1M tokens, for the cost estimate shown on turns and in the header (editable). */
  prices: z.record(z.string().trim().min(1).max(200), ModelPricesSchema),
  /** Attached images are downscaled so their longest side is at most this many pixels. */
  imageMaxSide: z
    .number()
    .int('Whole pixels only')
    .min(256, 'At least 256 pixels')
    .max(4096, 'At most 4096 pixels'),
  /** The `detail` sent with each image: how closely the model looks (low is cheaper). */
  imageDetail: z.enum(IMAGE_DETAILS),
  /**
   * Images of earlier turns, when the conversation is carried into a new session (reconnect, rotation, Continue
   * here): sent again as they were, or as a short text placeholder such as "[image: 1536×864 JPEG]".
   */
  carryImages: z.enum(CARRY_IMAGES),
  /** Press this key (anywhere) to capture the screen into the next turn; '' = no such key. */
  captureHotkey: z.union([
    z.literal(''),
    z.string().trim().regex(ACCELERATOR, 'Use a key like F8 or Control+Shift+S, or leave it empty'),
  ]),
  /** Held with the push-to-talk key, this modifier attaches a screen capture to that turn; 'off' = never. */
  talkCaptureModifier: z.enum(CAPTURE_MODIFIERS),
  /** Named presets of the per-turn options. */
  modes: ModesSchema,
  /** The mode chosen in the window or tray (an id from `modes`). */
  modeId: z.string().regex(MODE_ID, 'Choose one of the modes'),
};

/** The full settings object: every field present and valid. */
export const SettingsSchema = z.object(fields).strict();
export type Settings = z.infer<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze<Settings>({
  provider: 'simulator',
  openaiModel: 'gpt-realtime',
  azureResource: '',
  azureDeployment: '',
  customUrl: '',
  voice: 'marin',
  sessionInstructions: '',
  audioFormat: 'audio/pcm',
  noiseReduction: 'off',
  transcriptionModel: 'gpt-4o-mini-transcribe',
  transcriptionLanguage: '',
  azureTranscriptionDeployment: '',
  truncationRetention: null,
  // Both helpers are opt-in. A title is a fraction of a cent, but it is a request the user did not make, sending
  // the first exchange again; the first message already names a conversation for free.
  autoTitles: false,
  // A summary changes what the model remembers of a long conversation: the user chooses that.
  carryOverSummary: false,
  monthlyBudgetUsd: null,
  soundCues: true,
  cueVolume: 40,
  inputDevice: null,
  outputDevice: null,
  stallTimeoutMs: 10000,
  hotkey: 'F9',
  hotkeyMode: 'auto',
  closeToTray: true,
  startAtLogin: false,
  startHidden: false,
  allowPlaintextKey: false,
  sessionLimitMinutes: null,
  prices: DEFAULT_PRICES,
  imageMaxSide: 1536,
  imageDetail: 'auto',
  carryImages: 'as-sent',
  captureHotkey: '',
  talkCaptureModifier: 'off',
  modes: DEFAULT_MODES.map((mode) => ({ ...mode })),
  modeId: 'default',
});

/** A patch from the UI: any subset of fields, each validated; no defaults are filled in. */
export const SettingsPatchSchema = z.object(fields).partial().strict();
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;

/** Field → message, for messages shown beside each field. */
export type FieldErrors = Partial<Record<keyof Settings | '_', string>>;

/** The fields that say where Talkie connects; they must make sense together. */
export type EndpointFields = Pick<
  Settings,
  'provider' | 'openaiModel' | 'azureResource' | 'azureDeployment' | 'customUrl'
>;
export const ENDPOINT_FIELDS: ReadonlyArray<keyof EndpointFields> = [
  'provider',
  'openaiModel',
  'azureResource',
  'azureDeployment',
  'customUrl',
];

/**
 * What the chosen provider still needs (each field on its own may be empty: it belongs to another provider).
 * Checked by the window before saving and by main before storing, so neither saves a provider it cannot use.
 */
export function endpointErrors(settings: EndpointFields): FieldErrors {
  const errors: FieldErrors = {};
  switch (settings.provider) {
    case 'openai':
      if (settings.openaiModel.trim() === '') errors.openaiModel = 'Enter a model name, e.g. gpt-realtime';
      break;
    case 'azure': {
      const problem = azureResourceProblem(settings.azureResource);
      if (problem) errors.azureResource = problem;
      if (settings.azureDeployment.trim() === '')
        errors.azureDeployment =
          'Enter the deployment name (the name you gave the model when you deployed it)';
      else if (/\s/.test(settings.azureDeployment.trim()))
        errors.azureDeployment = 'A deployment name has no spaces';
      break;
    }
    case 'custom':
      if (settings.customUrl.trim() === '') errors.customUrl = 'Enter the server’s ws:// or wss:// URL';
      break;
    case 'simulator':
      break;
  }
  return errors;
}

/**
 * What is wrong with the modes taken together with the rest: the chosen mode must exist, and no mode may
 * take the push-to-talk key. Checked by main before storing.
 */
export function modeErrors(settings: Pick<Settings, 'modes' | 'modeId' | 'hotkey'>): FieldErrors {
  const errors: FieldErrors = {};
  if (!settings.modes.some((mode) => mode.id === settings.modeId)) errors.modeId = 'Choose one of the modes';
  const main = settings.hotkey.toLowerCase();
  const clash = settings.modes.find((mode) => mode.hotkey?.toLowerCase() === main);
  if (clash)
    errors.modes = `"${clash.name}" uses the push-to-talk key ${settings.hotkey}; choose another key`;
  return errors;
}

/**
 * The push-to-talk key with the capture modifier added ("Shift+F9"), or null when the modifier is off or the key
 * already holds it (then no distinct chord exists).
 */
export function talkCaptureKey(settings: Pick<Settings, 'hotkey' | 'talkCaptureModifier'>): string | null {
  const modifier = settings.talkCaptureModifier;
  if (modifier === 'off') return null;
  const parts = settings.hotkey.split('+').map((p) => p.trim().toLowerCase());
  const held =
    modifier === 'Control' ? ['control', 'ctrl', 'commandorcontrol', 'cmdorctrl'] : [modifier.toLowerCase()];
  if (parts.slice(0, -1).some((p) => held.includes(p))) return null;
  return `${modifier}+${settings.hotkey}`;
}

/**
 * What is wrong with the screen-capture keys taken with the other keys: the capture key may not be a talk key,
 * and the push-to-talk key must not already hold the capture modifier. Checked by main before storing.
 */
export function captureKeyErrors(
  settings: Pick<Settings, 'modes' | 'hotkey' | 'captureHotkey' | 'talkCaptureModifier'>,
): FieldErrors {
  const errors: FieldErrors = {};
  const talkKeys = [settings.hotkey, ...settings.modes.flatMap((m) => (m.hotkey ? [m.hotkey] : []))];
  const withCapture = talkCaptureKey(settings);
  if (settings.talkCaptureModifier !== 'off' && withCapture === null)
    errors.talkCaptureModifier = `The push-to-talk key ${settings.hotkey} already uses ${settings.talkCaptureModifier}; choose another modifier`;
  else if (withCapture && talkKeys.some((k) => k.toLowerCase() === withCapture.toLowerCase()))
    errors.talkCaptureModifier = `${withCapture} is already a talk key; choose another modifier`;
  const capture = settings.captureHotkey.toLowerCase();
  if (capture && [...talkKeys, withCapture ?? ''].some((k) => k.toLowerCase() === capture))
    errors.captureHotkey = `${settings.captureHotkey} already talks; choose another key for Capture screen`;
  return errors;
}

/** Turns a zod error into per-field messages. */
export function fieldErrors(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = (issue.path[0] as keyof Settings | undefined) ?? '_';
    out[key] ??= issue.message;
  }
  return out;
}
