/** Where `node scripts/electron-abi-sqlite.mjs dev` puts better-sqlite3 built for Electron `electronVersion`. */
export function devBuildPath(appDir: string, electronVersion: string, moduleVersion: string): string;

/** Builds better-sqlite3 for Electron in a staging copy of its sources; node_modules/better-sqlite3 is only read. */
export function buildForElectron(options: {
  appDir: string;
  electronVersion: string;
  arch?: string;
  platform?: string;
  headerURL?: string;
  fromSource?: boolean;
  log: (text: string) => void;
}): Promise<{ binary: string; moduleVersion: string; cleanup: () => void }>;

/** electron-builder hooks: the Electron build in place of the Node one while packing, the Node one back after. */
export function beforePack(context: unknown): Promise<void>;
export function afterPack(context: unknown): Promise<void>;
