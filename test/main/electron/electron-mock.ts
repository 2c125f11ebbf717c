/**
 * A stand-in for the `electron` module (no binary here), used with
 * `vi.mock('electron', () => import('./electron-mock'))`. Records what main-process code does with
 * it; each test reads `mock` to see the calls.
 */
import { EventEmitter } from 'node:events';

export const mock = {
  trays: [] as FakeTray[],
  reset(): void {
    mock.trays.length = 0;
  },
};

export class FakeTray extends EventEmitter {
  image: unknown;
  tooltip = '';
  menu: unknown = null;
  destroyed = false;
  constructor(image: unknown) {
    super();
    this.image = image;
    mock.trays.push(this);
  }
  setImage(image: unknown): void {
    this.image = image;
  }
  setToolTip(text: string): void {
    this.tooltip = text;
  }
  setContextMenu(menu: unknown): void {
    this.menu = menu;
  }
  destroy(): void {
    this.destroyed = true;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

export const Tray = FakeTray;
export const Menu = { buildFromTemplate: (template: unknown[]): { template: unknown[] } => ({ template }) };
export const nativeImage = { createFromPath: (path: string): { path: string } => ({ path }) };
export default { Tray, Menu, nativeImage };
