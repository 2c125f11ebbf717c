/**
 * Modes in the window: choosing "Translate to French" fills the turn's options with the mode's, a typed turn
 * sends the mode's instructions in its response.create, and the choice is still there after a reload.
 */
import { DEFAULT_MODES } from '../../src/shared/settings';
import { expect, openApp, replyAs, sendMessage, simTest as test, turn } from './helpers';

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
