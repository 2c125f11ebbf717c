/** The Realtime layer: endpoints, the socket, server-event parsing and the conversation reducer. */
export * from './connection-types';
export * from './endpoints';
export * from './connection';
export * from './close-reasons';
export * from './events';
export * from './conversation';
export { base64ByteLength, bytesPerMs } from './base64';
