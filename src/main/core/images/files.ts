/**
 * Attached images, one file per image in a folder beside the conversation database (`images/<id>.png|jpg`),
 * referenced by id from the turns that sent them. Kept out of the database for the same reasons as recordings:
 * large, written once, read to show or to send again.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ImageRef } from '../../../shared/types';

export type ImageMime = 'image/png' | 'image/jpeg';

const EXTENSIONS: Record<ImageMime, string> = { 'image/png': 'png', 'image/jpeg': 'jpg' };

/** The images attached to the next turn, kept across a restart (the window shows them again). */
const PENDING_FILE = 'pending.json';

/** Image ids are minted by Talkie; anything else is refused rather than escaped, so no id leaves the folder. */
const SAFE_ID = /^[A-Za-z0-9_-]{1,100}$/;

export class ImageFiles {
  /** @param dir the folder; created on the first save. */
  constructor(readonly dir: string) {}

  save(id: string, bytes: Buffer, mime: ImageMime): void {
    const file = this.fileFor(id, mime);
    mkdirSync(this.dir, { recursive: true });
    // A temporary name first: a crash mid-write leaves no truncated image under the real name.
    writeFileSync(`${file}.tmp`, bytes);
    renameSync(`${file}.tmp`, file);
  }

  load(id: string): { bytes: Buffer; mime: ImageMime } | null {
    if (!SAFE_ID.test(id)) return null;
    for (const mime of Object.keys(EXTENSIONS) as ImageMime[]) {
      try {
        return { bytes: readFileSync(this.fileFor(id, mime)), mime };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
    return null;
  }

  delete(id: string): void {
    if (!SAFE_ID.test(id)) return;
    for (const mime of Object.keys(EXTENSIONS) as ImageMime[])
      rmSync(this.fileFor(id, mime), { force: true });
  }

  /** Keeps the list of images attached to the next turn (written whole, atomically). */
  savePending(images: readonly ImageRef[]): void {
    mkdirSync(this.dir, { recursive: true });
    const file = join(this.dir, PENDING_FILE);
    writeFileSync(`${file}.tmp`, JSON.stringify(images));
    renameSync(`${file}.tmp`, file);
  }

  /** The images attached to the next turn when Talkie last ran, those whose file is still here; [] when none. */
  loadPending(): ImageRef[] {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(join(this.dir, PENDING_FILE), 'utf8'));
    } catch {
      return []; // none yet, or damaged: nothing to restore
    }
    if (!Array.isArray(raw)) return [];
    return raw.filter(
      (i): i is ImageRef =>
        typeof i === 'object' &&
        i !== null &&
        typeof (i as ImageRef).id === 'string' &&
        SAFE_ID.test((i as ImageRef).id) &&
        (i as ImageRef).mime in EXTENSIONS &&
        Number.isInteger((i as ImageRef).width) &&
        Number.isInteger((i as ImageRef).height) &&
        existsSync(this.fileFor((i as ImageRef).id, (i as ImageRef).mime)),
    );
  }

  /**
   * Removes every image file whose id is not in `keep` (attachments never sent, turns gone) and half-written
   * files a killed process left. Returns how many images were removed.
   */
  removeAllBut(keep: ReadonlySet<string>): number {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return 0; // No folder yet: nothing was ever saved.
    }
    let removed = 0;
    for (const name of names) {
      const image = /^([A-Za-z0-9_-]{1,100})\.(png|jpg)$/.exec(name);
      if (name.endsWith('.tmp') || (image?.[1] !== undefined && !keep.has(image[1]))) {
        rmSync(join(this.dir, name), { force: true });
        if (image) removed += 1;
      }
    }
    return removed;
  }

  private fileFor(id: string, mime: ImageMime): string {
    if (!SAFE_ID.test(id)) throw new Error(`Not an image id: ${JSON.stringify(id)}`);
    return join(this.dir, `${id}.${EXTENSIONS[mime]}`);
  }
}
