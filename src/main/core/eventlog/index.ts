/** The protocol event log (ring buffer, sanitised, batched for the UI). */
export * from './event-log';
export { sanitizeEvent, scrubString, REDACTED } from './sanitize';
