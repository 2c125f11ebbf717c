/**
 * Issue 19, Settings: Azure and OpenAI never save broken values with a green "Saved" (each field says what is
 * wrong, as Custom URL does), a save without a key says Talkie stays in Demo mode, the Azure key field does not
 * suggest an OpenAI key, "Remove key" waits for Save like every other change, and devices never read
 * "default (default)".
 */
import { test } from '../fixtures/test';
import { expect, openApp, openSettings } from './helpers';

test('Azure and OpenAI are validated beside each field; a save without a key says what happens', async ({
  page,
  app,
}) => {
  await openApp(page, app.url);
  const dialog = await openSettings(page);
  await dialog.getByRole('radio', { name: 'Azure OpenAI' }).check();
  const resource = dialog.getByRole('textbox', { name: 'Azure resource' });
  const deployment = dialog.getByRole('textbox', { name: 'Deployment' });
  await expect(dialog.getByLabel('API key', { exact: true })).not.toHaveAttribute('placeholder', /sk-/);

  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(resource).toHaveAttribute('aria-invalid', 'true');
  await expect(resource).toHaveAccessibleDescription(/resource name/);
  await expect(deployment).toHaveAccessibleDescription(/deployment name/);
  await expect(dialog.getByText('Check the highlighted fields.')).toBeVisible();
  await expect(dialog.getByText('Saved', { exact: true })).toHaveCount(0);

  await resource.fill('not a resource!');
  await deployment.fill('gpt-realtime');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(resource).toHaveAccessibleDescription(/my-resource/);
  await expect(dialog.getByText('Saved', { exact: true })).toHaveCount(0);

  // OpenAI: an empty model is refused; without a key the window says Demo mode stays.
  await dialog.getByRole('radio', { name: 'OpenAI', exact: true }).check();
  await expect(dialog.getByLabel('API key', { exact: true })).toHaveAttribute('placeholder', 'sk-…');
  await expect(dialog.getByText('Without a key Talkie stays in Demo mode')).toBeVisible();
  const model = dialog.getByRole('textbox', { name: 'Model' });
  await model.fill('');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(model).toHaveAccessibleDescription(/Enter a model name/);
  await model.fill('gpt-realtime');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByRole('status').filter({ hasText: 'Saved' })).toHaveText(
    'Saved. Talkie stays in Demo mode until you add a key.',
  );
  await expect(dialog.getByText('Saved', { exact: true })).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(page.getByRole('status', { name: 'Connection' })).toContainText('Demo mode');
});

test('"Remove key" waits for Save, and Close keeps the key', async ({ page, app }) => {
  await openApp(page, app.url);
  let dialog = await openSettings(page);
  await dialog.getByRole('radio', { name: 'Custom URL' }).check();
  await dialog.getByRole('textbox', { name: 'Server URL' }).fill('ws://127.0.0.1:9/v1/realtime');
  await dialog.getByLabel('API key', { exact: true }).fill('sk-e2e-remove-me-0123456789abcdef');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByText('Saved', { exact: true })).toBeVisible();
  await expect(dialog.getByText('Saved for this session only')).toBeVisible();

  await dialog.getByRole('button', { name: 'Remove key' }).click();
  await expect(dialog.getByText('The saved key will be removed when you save.')).toBeVisible();
  // Close without saving: the key is still there.
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  dialog = await openSettings(page);
  await expect(dialog.getByText('Saved for this session only')).toBeVisible();

  await dialog.getByRole('button', { name: 'Remove key' }).click();
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByText('No key saved')).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Remove key' })).toHaveCount(0);
});

test('devices never read "default (default)"', async ({ page, app }) => {
  await openApp(page, app.url);
  const dialog = await openSettings(page);
  for (const name of ['Microphone', 'Speaker']) {
    const options = await dialog.getByRole('combobox', { name }).locator('option').allInnerTexts();
    for (const option of options) expect(option).not.toMatch(/default.*\(default\)/i);
  }
});
