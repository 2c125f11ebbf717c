/**
 * Imported first by main.tsx, before any schema is built: zod's JIT probes `new Function` while building
 * object schemas, which the strict CSP (script-src 'self', no 'unsafe-eval') reports as a violation.
 * Jitless parsing is plenty fast for the few settings and command payloads the window validates.
 */
import { config } from 'zod';

config({ jitless: true });
