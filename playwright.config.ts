import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';

/**
 * Browser tests drive the real renderer in Chromium against browser mode (the real core in Node).
 * On build machines Playwright cannot download its own browser: Debian's /usr/bin/chromium is used
 * when present (CHROMIUM_PATH overrides); elsewhere Playwright's bundled Chromium.
 */
const chromium =
  process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

/**
 * Specs that own something of the desktop run one at a time, alone: the virtual microphone and speaker they
 * feed and record, the X server's keyboard, the session bus, or a page measured for responsiveness.
 * Every other spec has its own browser-mode process, data dir and port.
 */
const desktop = [
  'ui/voice.spec.ts',
  'ui/voice-image.spec.ts',
  'ui/big-reply.spec.ts',
  'hotkey.spec.ts',
  'hotkey-portal.spec.ts',
  'shell.spec.ts',
  'electron/app.spec.ts',
];

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results/e2e',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  // Two at a time for the ui project (the machines have two cores). It was one while the microphone went through
  // PortAudio's ALSA plugin: with two browser-mode processes on the rig, each one's capture thread spun a core.
  workers: Number(process.env.TALKIE_PW_WORKERS ?? 2),
  fullyParallel: false,
  forbidOnly: true,
  retries: 0,
  // `npm test` runs the projects one after the other (with --no-deps), each into its own report.
  reporter: [
    ['list'],
    ['json', { outputFile: process.env.TALKIE_PW_REPORT ?? 'test-results/playwright.json' }],
  ],
  projects: [
    { name: 'ui', testIgnore: desktop },
    // After `ui`, never beside it: a reply played by a ui spec would land in these specs' recordings.
    { name: 'desktop', testMatch: desktop, workers: 1, dependencies: ['ui'] },
  ],
  use: {
    headless: true,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: chromium,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
      ],
    },
  },
});
