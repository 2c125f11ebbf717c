/**
 * Model and voice pickers: chosen in Settings, saved, and in force on the wire — the server reports the chosen
 * model and the session is configured with the chosen voice, transcription language and truncation (the exported
 * event log is what went over the socket). The demo simulator answers as whichever model is chosen. (An external
 * simulator's own records cannot show the model: REALTIME_URL fixes the URL, and with it the model.)
 */
import { test } from '../fixtures/test';
import { expect, exportLog, openApp, openSettings, replyAs, sendMessage, turn } from './helpers';

type Session = {
  model?: string;
  truncation?: unknown;
  audio?: { input?: { noise_reduction?: unknown; transcription?: unknown }; output?: { voice?: string } };
};

test('the chosen model and voice are saved and used by the next session', async ({ page, app }) => {
  await openApp(page, app.url);
  const dialog = await openSettings(page);
  const model = dialog.getByRole('textbox', { name: 'Model' });
  await expect(model).toHaveValue('gpt-realtime');
  const mini = dialog
    .getByRole('group', { name: 'Suggested models' })
    .getByRole('button', { name: 'gpt-realtime-mini' });
  await mini.click();
  await expect(model).toHaveValue('gpt-realtime-mini');
  await expect(mini).toHaveAttribute('aria-pressed', 'true');
  await dialog.getByRole('combobox', { name: 'Voice' }).selectOption('coral');
  await dialog.getByRole('combobox', { name: 'Noise reduction' }).selectOption('near_field');
  await expect(dialog.getByRole('combobox', { name: 'Transcription model' })).toHaveValue(
    'gpt-4o-mini-transcribe',
  );
  await dialog.getByRole('textbox', { name: 'Transcription language' }).fill('fr');
  await dialog.getByRole('spinbutton', { name: 'Truncation retention ratio' }).fill('0.8');
  await expect(dialog.getByRole('combobox', { name: 'Voice' })).toHaveAccessibleDescription(/next session/);
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByText('Saved', { exact: true })).toBeVisible();
  await page.keyboard.press('Escape');

  await expect(page.getByRole('status', { name: 'Connection' })).toContainText('Connected');
  await replyAs(page, 'Text');
  await sendMessage(page, 'which model are you');
  await expect(turn(page, 1)).toContainText('Echo: which model are you');
  await expect(turn(page, 1).getByText(/tokens · /)).toBeVisible();

  const { entries } = await exportLog(page);
  const described = entries
    .filter((e) => e.dir === 'in' && (e.type === 'session.created' || e.type === 'session.updated'))
    .map((e) => (e.payload as { session: Session }).session);
  expect(described.at(-1)?.model).toBe('gpt-realtime-mini');
  const updates = entries
    .filter((e) => e.dir === 'out' && e.type === 'session.update')
    .map((e) => (e.payload as { session: Session }).session);
  expect(updates.at(-1)?.audio?.output?.voice).toBe('coral');
  expect(updates.at(-1)?.audio?.input?.noise_reduction).toEqual({ type: 'near_field' });
  expect(updates.at(-1)?.audio?.input?.transcription).toEqual({
    model: 'gpt-4o-mini-transcribe',
    language: 'fr',
  });
  expect(updates.at(-1)?.truncation).toEqual({ type: 'retention_ratio', retention_ratio: 0.8 });
  expect(described.at(-1)?.audio?.input?.noise_reduction).toEqual({ type: 'near_field' });
  expect(described.at(-1)?.audio?.output?.voice).toBe('coral');

  // Saved: the dialog opens with them again.
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  await expect(dialog.getByRole('textbox', { name: 'Model' })).toHaveValue('gpt-realtime-mini');
  await expect(dialog.getByRole('combobox', { name: 'Voice' })).toHaveValue('coral');
  await expect(dialog.getByRole('combobox', { name: 'Noise reduction' })).toHaveValue('near_field');
  await expect(dialog.getByRole('textbox', { name: 'Transcription language' })).toHaveValue('fr');
  await expect(dialog.getByRole('spinbutton', { name: 'Truncation retention ratio' })).toHaveValue('0.8');
});

test('the session length limit takes whole minutes from 1, says what empty means, and is kept', async ({
  page,
  app,
}) => {
  await openApp(page, app.url);
  const dialog = await openSettings(page);
  await dialog.getByRole('radio', { name: 'OpenAI', exact: true }).check();
  const limit = dialog.getByRole('spinbutton', { name: 'Session length limit (minutes)' });
  await expect(limit).toHaveValue('');
  await expect(limit).toHaveAttribute('placeholder', '60');
  await expect(limit).toHaveAccessibleDescription(/OpenAI’s 60 minutes/);
  await dialog.getByRole('radio', { name: 'Azure OpenAI' }).check();
  await expect(limit).toHaveAttribute('placeholder', '30');
  await dialog.getByRole('radio', { name: 'Local simulator' }).check();
  await limit.fill('0');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(limit).toHaveAccessibleDescription(/At least 1 minute/);
  await limit.fill('45');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByText('Saved', { exact: true })).toBeVisible();
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  await expect(dialog.getByRole('spinbutton', { name: 'Session length limit (minutes)' })).toHaveValue('45');
});
