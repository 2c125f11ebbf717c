#!/usr/bin/env node
// Adds up vitest's and Playwright's JSON reports into one closing line: "N passed, N failed, N skipped".
import { existsSync, readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
let skipped = 0;
const missing = [];

for (const file of process.argv.slice(2)) {
  if (!existsSync(file)) {
    missing.push(file);
    continue;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  if (report.numTotalTests !== undefined) {
    // vitest (jest-compatible JSON)
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    skipped += report.numPendingTests + (report.numTodoTests ?? 0);
    const label = file.includes('vitest-audio') ? 'vitest (real audio)' : 'vitest';
    console.log(
      `${label}: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${report.numPendingTests} skipped`,
    );
    // A test that passed on a retry is named with its first failure, so a pattern stays visible.
    for (const result of report.testResults ?? [])
      for (const test of result.assertionResults ?? [])
        if (test.status === 'passed' && test.failureMessages?.length)
          console.log(
            `  passed on retry: ${test.fullName}\n    first try: ${test.failureMessages[0].split('\n')[0]}`,
          );
  } else if (report.stats) {
    // Playwright
    const s = report.stats;
    const p = s.expected ?? 0;
    const f = (s.unexpected ?? 0) + (s.flaky ?? 0);
    passed += p;
    failed += f;
    skipped += s.skipped ?? 0;
    const label = file.includes('desktop') ? 'playwright (desktop)' : 'playwright';
    console.log(`${label}: ${p} passed, ${f} failed, ${s.skipped ?? 0} skipped`);
  }
}
for (const file of missing) console.log(`missing report: ${file} (that runner did not finish)`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || missing.length > 0 || passed === 0 ? 1 : 0);
