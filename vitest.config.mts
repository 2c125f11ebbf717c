import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // Real sockets and real audio devices: no parallel fight over the one virtual microphone.
    fileParallelism: true,
    testTimeout: 20000,
    hookTimeout: 30000,
    reporters: ['default'],
  },
});
