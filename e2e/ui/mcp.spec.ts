/**
 * Local MCP servers as a user adds them (issue 15): Settings › Tools, paste an `mcpServers` block, watch the
 * server become ready, ask for one of its tools, approve it, and get the answer. The server is the reference
 * @modelcontextprotocol/server-everything from node_modules, started over stdio by browser mode itself.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Page } from '@playwright/test';
import { test } from '../fixtures/test';
import { expect, exportLog, openApp, openSettings, replyAs, sendMessage, turn } from './helpers';

const require = createRequire(__filename);
const manifest = require.resolve('@modelcontextprotocol/server-everything/package.json');
const { bin } = JSON.parse(readFileSync(manifest, 'utf8')) as { bin: string | Record<string, string> };
const EVERYTHING = join(dirname(manifest), typeof bin === 'string' ? bin : (Object.values(bin)[0] ?? ''));

const SECRET = 'e2e-mcp-token-90d1c4a7';
const BLOCK = JSON.stringify(
  {
    mcpServers: {
      everything: { command: process.execPath, args: [EVERYTHING], env: { EVERYTHING_TOKEN: SECRET } },
    },
  },
  null,
  2,
);

/** Everything the page received over its socket, to prove what never reached it. */
function recordFrames(page: Page): string[] {
  const frames: string[] = [];
  page.on('websocket', (ws) => ws.on('framereceived', (f) => frames.push(String(f.payload))));
  return frames;
}

async function addFromSettings(page: Page): Promise<void> {
  const dialog = await openSettings(page);
  await dialog.getByRole('textbox', { name: 'Paste an mcpServers block' }).fill(BLOCK);
  await dialog.getByRole('button', { name: 'Add from JSON' }).click();
  await expect(dialog.getByText('Added everything.')).toBeVisible();
  const server = dialog.getByRole('article', { name: 'MCP server everything' });
  await expect(server.getByRole('status')).toContainText(/Ready with \d+ tools/, { timeout: 20_000 });
  // The secret's name is shown, its value never.
  await expect(server).toContainText('EVERYTHING_TOKEN (set)');
  await expect(server.getByRole('group', { name: 'Tools of everything' })).toContainText('echo');
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();
}

test('paste an mcpServers block, ask for its tool, allow it once, and the reply uses the result', async ({
  page,
  app,
}) => {
  test.setTimeout(60_000);
  const frames = recordFrames(page);
  await openApp(page, app.url);
  await addFromSettings(page);
  await replyAs(page, 'Text');
  await sendMessage(page, 'call everything__echo with {"message":"hello from the page"}');
  const card = turn(page, 1).getByRole('group', { name: 'Tool approval' });
  await expect(card).toContainText('echo');
  await expect(card).toContainText('everything');
  await expect(card).toContainText('hello from the page');
  await card.getByRole('button', { name: 'Allow once' }).click();
  await expect(turn(page, 1)).toContainText('The everything__echo tool returned: Echo: hello from the page');
  await expect(turn(page, 1).getByRole('list', { name: 'Tool calls' })).toContainText('Done');
  await expect(card).toHaveCount(0);

  // The env value never reached the page, the log or its export.
  const { text } = await exportLog(page);
  expect(text).toContain('everything__echo');
  expect(text).not.toContain(SECRET);
  expect(frames.join('\n')).not.toContain(SECRET);
  expect(await page.content()).not.toContain(SECRET);
});

test('a tool switched off in Settings is not run, and the reply says so', async ({ page, app }) => {
  test.setTimeout(60_000);
  await openApp(page, app.url);
  await addFromSettings(page);
  const dialog = await openSettings(page);
  const echo = dialog
    .getByRole('group', { name: 'Tools of everything' })
    .getByRole('checkbox', { name: 'echo', exact: true });
  // Main answers with the new state (a controlled switch): a click, then the state main confirms.
  await echo.click();
  await expect(echo).not.toBeChecked();
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  await replyAs(page, 'Text');
  await sendMessage(page, 'call everything__echo with {"message":"x"}');
  await expect(turn(page, 1)).toContainText('The user has switched "echo" off in Settings.');
  await expect(turn(page, 1).getByRole('group', { name: 'Tool approval' })).toHaveCount(0);
});

test('a remote MCP server added in Settings: its approval request is answered from the same card', async ({
  page,
  app,
}) => {
  const TOKEN = 'e2e-remote-token-51f0be33';
  const frames = recordFrames(page);
  await openApp(page, app.url);
  const dialog = await openSettings(page);
  await dialog.getByText('Add a remote server (called by the Realtime server)').click();
  await dialog.getByRole('textbox', { name: 'Label', exact: true }).fill('docs');
  await dialog.getByRole('textbox', { name: 'Server URL', exact: true }).fill('https://mcp.example.com/mcp');
  await dialog.getByLabel('Authorization token', { exact: true }).fill(TOKEN);
  // Enter adds the server (it does not submit the Settings form around it).
  await dialog.getByLabel('Authorization token', { exact: true }).press('Enter');
  await expect(dialog.getByText('Added docs.')).toBeVisible();
  await expect(dialog.getByRole('status').filter({ hasText: 'Saved' })).toHaveCount(0);
  const server = dialog.getByRole('article', { name: 'Remote MCP server docs' });
  await expect(server).toContainText('Asks before each call');
  await expect(server).toContainText('Authorization token (set)');
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();

  await replyAs(page, 'Text');
  await sendMessage(page, 'use docs echo with {"text":"hello remote"}');
  const card = turn(page, 1).getByRole('group', { name: 'Tool approval' });
  await expect(card).toContainText('echo (docs)');
  await expect(card).toContainText('hello remote');
  await card.getByRole('button', { name: 'Allow once' }).click();
  await expect(turn(page, 1)).toContainText('The docs echo tool returned: hello remote');
  await expect(card).toHaveCount(0);

  // A second call, denied: the model hears the user declined.
  await sendMessage(page, 'use docs echo with {"text":"not this"}');
  await turn(page, 2)
    .getByRole('group', { name: 'Tool approval' })
    .getByRole('button', { name: 'Deny' })
    .click();
  await expect(turn(page, 2)).toContainText('The user declined the docs echo call.');

  const { text } = await exportLog(page);
  expect(text).toContain('mcp_approval_response');
  expect(text).not.toContain(TOKEN);
  expect(frames.join('\n')).not.toContain(TOKEN);
});

test('servers added by hand: one that fails shows why and what it printed; Restart tries again; a good one gets ready', async ({
  page,
  app,
}) => {
  test.setTimeout(60_000);
  await openApp(page, app.url);
  const dialog = await openSettings(page);
  await dialog.getByText('Add a server by hand').click();

  await dialog.getByRole('textbox', { name: 'Server name', exact: true }).fill('broken');
  await dialog.getByRole('textbox', { name: 'Command', exact: true }).fill(process.execPath);
  await dialog
    .getByRole('textbox', { name: 'Arguments', exact: true })
    .fill('-e\nconsole.error("missing API token"); process.exit(2)');
  await dialog.getByRole('button', { name: 'Add server', exact: true }).click();
  const broken = dialog.getByRole('article', { name: 'MCP server broken' });
  await expect(broken.getByRole('status')).toContainText('Failed:', { timeout: 20_000 });
  await broken.getByText('What the server printed').click();
  await expect(broken).toContainText('missing API token');
  await broken.getByRole('button', { name: 'Restart broken' }).click();
  await expect(broken.getByRole('status')).toContainText('Failed:', { timeout: 20_000 });

  await dialog.getByRole('textbox', { name: 'Server name', exact: true }).fill('by-hand');
  await dialog.getByRole('textbox', { name: 'Arguments', exact: true }).fill(EVERYTHING);
  await dialog
    .getByRole('textbox', { name: 'Environment', exact: true })
    .fill('HAND_TOKEN=hand-secret-value-1');
  await dialog.getByRole('button', { name: 'Add server', exact: true }).click();
  const good = dialog.getByRole('article', { name: 'MCP server by-hand' });
  await expect(good.getByRole('status')).toContainText(/Ready with \d+ tools/, { timeout: 20_000 });
  await expect(good).toContainText('HAND_TOKEN (set)');
  await expect(dialog.getByRole('textbox', { name: 'Environment', exact: true })).toHaveValue('');
  expect(await page.content()).not.toContain('hand-secret-value-1');

  await broken.getByRole('button', { name: 'Remove broken' }).click();
  await expect(broken).toHaveCount(0);
});
