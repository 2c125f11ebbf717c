/**
 * Modes in the window: choosing "Translate to French" fills the turn's options with the mode's, a typed turn
 * sends the mode's instructions in its response.create, and the choice is still there after a reload.
 */
import { DEFAULT_MODES } from '../../src/shared/settings';
import { expect, openApp, openSettings, replyAs, sendMessage, simTest as test, turn } from './helpers';

const french = DEFAULT_MODES.find((m) => m.id === 'translate-french');

test('a chosen mode’s instructions reach the wire, and the mode survives a reload', async ({
  page,
  app,
  sim,
}) => {
  if (!french) throw new Error('no "Translate to French" mode');
  const creates = (): Array<{ instructions?: string; output_modalities?: string[] }> =>
    sim.received
      .map((r) => r.event as { type?: string; response?: { instructions?: string } })
      .filter((e) => e.type === 'response.create')
      .map((e) => e.response ?? {});

  await openApp(page, app.url);
  const mode = page.getByRole('combobox', { name: 'Mode' });
  await expect(mode).toHaveValue('default');
  const instructions = page.getByRole('textbox', { name: 'Instructions for this turn' });
  await expect(instructions).toHaveValue('');

  await mode.selectOption({ label: 'Translate to French' });
  await expect(instructions).toHaveValue(french.instructions);
  await expect(
    page.getByRole('checkbox', { name: 'Replace session instructions for this turn' }),
  ).toBeChecked();
  await replyAs(page, 'Text');
  await sendMessage(page, 'good morning');
  await expect(turn(page, 1)).toContainText('Completed');
  expect(creates()).toEqual([
    expect.objectContaining({ instructions: french.instructions, output_modalities: ['text'] }),
  ]);
  // A mode's instructions are not used up by a turn: they are there for the next one.
  await expect(instructions).toHaveValue(french.instructions);

  await page.reload();
  await openApp(page, app.url);
  await expect(page.getByRole('combobox', { name: 'Mode' })).toHaveValue('translate-french');
  await expect(instructions).toHaveValue(french.instructions);
  await sendMessage(page, 'thank you');
  await expect(turn(page, 2)).toContainText('Completed');
  expect(creates()[1]).toMatchObject({ instructions: french.instructions });
});

test('Settings adds, renames, edits and deletes modes, and explains a list it refuses', async ({
  page,
  app,
  sim,
}) => {
  await openApp(page, app.url);
  const dialog = await openSettings(page);
  await dialog.getByRole('button', { name: 'Add mode' }).click();
  const added = dialog.getByRole('group', { name: 'Mode New mode' });
  await added.getByRole('textbox', { name: 'Mode name' }).fill('Short answers');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(
    dialog.getByRole('alert').filter({ hasText: 'Two modes are called "Short answers"' }),
  ).toBeVisible();

  await dialog
    .getByRole('group', { name: 'Mode Short answers' })
    .first()
    .getByRole('button', { name: 'Delete mode' })
    .click();
  await dialog
    .getByRole('group', { name: 'Mode Short answers' })
    .getByRole('textbox', { name: 'Mode name' })
    .fill('Pirate');
  // The group is named after the mode, so it is found by its new name.
  const pirate = dialog.getByRole('group', { name: 'Mode Pirate' });
  await pirate.getByRole('textbox', { name: 'Mode instructions' }).fill('Talk like a pirate.');
  await pirate.getByRole('combobox', { name: 'Reply as' }).selectOption('text');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByText('Saved', { exact: true })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  const mode = page.getByRole('combobox', { name: 'Mode' });
  await expect(mode.getByRole('option')).toHaveText(['Default', 'Translate to French', 'Pirate']);
  await mode.selectOption({ label: 'Pirate' });
  await expect(
    page.getByRole('radiogroup', { name: 'Reply as' }).getByRole('radio', { name: 'Text' }),
  ).toBeChecked();
  await sendMessage(page, 'ahoy');
  await expect(turn(page, 1)).toContainText('Completed');
  const create = sim.received
    .map(
      (r) => r.event as { type?: string; response?: { instructions?: string; output_modalities?: string[] } },
    )
    .find((e) => e.type === 'response.create');
  expect(create?.response?.output_modalities).toEqual(['text']);
  expect(create?.response?.instructions).toMatch(/Talk like a pirate\.$/);
});
