/**
 * Attached images, one file per image in a folder beside the conversation database (`images/<id>.png|jpg`),
 * referenced by id from the turns that sent them. Kept out of the database for the same reasons as recordings:
 * large, written once, read to show or to send again.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type ImageMime = 'image/png' | 'image/jpeg';

const EXTENSIONS: Record<ImageMime, string> = { 'image/png': 'png', 'image/jpeg': 'jpg' };

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

  private fileFor(id: string, mime: ImageMime): string {
    if (!SAFE_ID.test(id)) throw new Error(`Not an image id: ${JSON.stringify(id)}`);
    return join(this.dir, `${id}.${EXTENSIONS[mime]}`);
  }
}
