/**
 * Typed turns against the simulator: replies appear in the Conversation, each turn's "Reply as" choice
 * reaches the wire as `output_modalities`, and per-turn instructions reach that turn only.
 */
import {
  exportLog,
  expect,
  openApp,
  replyAs,
  responseCreates,
  sendMessage,
  simTest as test,
  turn,
} from './helpers';

test('a typed Text turn gets the simulator reply in the Conversation', async ({ page, app }) => {
  await openApp(page, app.url);
  await replyAs(page, 'Text');
  await sendMessage(page, 'hello there');
  const first = turn(page, 1);
  await expect(first).toContainText('hello there');
  await expect(first).toContainText('Echo: hello there');
  await expect(first).toContainText('Reply as Text');
  await expect(first).toContainText('Completed');
  await expect(first).toContainText(/done in \d/);
});

test('switching Text → Voice → Text sends the matching output_modalities each time', async ({
  page,
  app,
  sim,
}) => {
  await openApp(page, app.url);
  const modes = ['Text', 'Voice', 'Text'] as const;
  for (const [i, mode] of modes.entries()) {
    await replyAs(page, mode);
    await sendMessage(page, `message ${i + 1}`);
    await expect(turn(page, i + 1)).toContainText(`Echo: message ${i + 1}`);
    await expect(turn(page, i + 1)).toContainText(`Reply as ${mode}`);
    await expect(turn(page, i + 1)).toContainText('Completed');
  }
  await expect(turn(page, 2)).toContainText(/first audio after \d/);

  const expected = [['text'], ['audio'], ['text']];
  const { entries } = await exportLog(page);
  expect(responseCreates(entries).map((e) => e.response?.output_modalities)).toEqual(expected);
  // The server saw the same thing the log says was sent.
  const received = sim.received
    .map((r) => r.event as { type?: string; response?: { output_modalities?: string[] } })
    .filter((e) => e.type === 'response.create')
    .map((e) => e.response?.output_modalities);
  expect(received).toEqual(expected);
});

test('per-turn instructions reach that turn only, added to the session instructions', async ({
  page,
  app,
}) => {
  await openApp(page, app.url);
  await replyAs(page, 'Text');
  const instructions = page.getByRole('textbox', { name: 'Instructions for this turn' });
  await expect(page.getByText('Session instructions apply')).toBeVisible();

  await instructions.fill('Answer in one sentence');
  const replace = page.getByRole('checkbox', { name: 'Replace session instructions for this turn' });
  await expect(replace).not.toBeChecked();
  await sendMessage(page, 'first');
  await expect(turn(page, 1)).toContainText('Completed');
  // Appended: the session's instructions come first, then the turn's.
  // (Rendered as Markdown since issue 19: the blank line between them makes two paragraphs, no space between.)
  await expect(turn(page, 1)).toContainText(/Echo: first \[instructions: [\s\S]+\s*Answer in one sentence\]/);
  await expect(turn(page, 1)).toContainText('Instructions: Answer in one sentence');
  // Used up by that turn: the box empties and says the session's instructions apply again.
  await expect(instructions).toHaveValue('');
  await expect(page.getByText('Session instructions apply')).toBeVisible();

  await instructions.fill('Answer in one sentence');
  await replace.check();
  await sendMessage(page, 'second');
  await expect(turn(page, 2)).toContainText('Echo: second [instructions: Answer in one sentence]');
  await expect(turn(page, 2)).toContainText('Instructions (replacing session): Answer in one sentence');

  await expect(instructions).toHaveValue('');
  await expect(page.getByText('Session instructions apply')).toBeVisible();
  await sendMessage(page, 'third');
  await expect(turn(page, 3)).toContainText('Completed');
  await expect(turn(page, 3)).toContainText('Echo: third');
  await expect(turn(page, 3)).not.toContainText('Answer in one sentence');

  const { entries } = await exportLog(page);
  const creates = responseCreates(entries);
  expect(creates).toHaveLength(3);
  expect(String(creates[0]?.response?.instructions)).toMatch(/\n\nAnswer in one sentence$/);
  expect(creates[1]?.response?.instructions).toBe('Answer in one sentence');
  // Empty box: the field is omitted, never sent as "" (FIELD-REPORTS row 1).
  expect(creates[2]?.response && 'instructions' in creates[2].response).toBe(false);
});

test('a failed send keeps the typed text in the box', async ({ page, app, sim }) => {
  await openApp(page, app.url);
  const box = page.getByRole('textbox', { name: 'Message' });
  // An empty message is refused with a plain-words reason.
  await box.fill('   ');
  await box.press('Enter');
  await expect(page.getByText('Type a message first')).toBeVisible();
  await expect(box).toHaveValue('   ');
  // Main refuses an over-long message: the reason is shown and every character stays in the box.
  const long = 'x'.repeat(32_001);
  await box.fill(long);
  await box.press('Enter');
  await expect(page.getByRole('alert')).toContainText('message.send');
  await expect(box).toHaveValue(long);
  expect(sim.received.some((r) => (r.event as { type?: string }).type === 'conversation.item.create')).toBe(
    false,
  );
  // Shift+Enter adds a line instead of sending.
  await box.fill('line one');
  await box.press('Shift+Enter');
  await box.pressSequentially('line two');
  await expect(box).toHaveValue('line one\nline two');
});
