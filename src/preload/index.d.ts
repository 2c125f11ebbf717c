import type { RawApi } from '../shared/contract';

declare global {
  interface Window {
    /** Present in the Electron app (the preload); absent in browser mode. */
    readonly api?: RawApi;
  }
}
