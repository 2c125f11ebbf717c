/**
 * `npm run simulator -- [--port N] [--fault stall] …`: the local GA Realtime simulator on its own, for
 * pointing any Realtime client (or Talkie's Custom URL) at a server that misbehaves on request.
 */
import { runCli } from './core/simulator/cli';
import { errorMessage } from '../shared/error-message';

runCli(process.argv.slice(2))
  .then((handle) => {
    if (!handle) process.exit(2);
    const stop = (): void => void handle.close().then(() => process.exit(0));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  })
  .catch((error: unknown) => {
    console.error(`The simulator could not start: ${errorMessage(error)}`);
    process.exit(1);
  });
