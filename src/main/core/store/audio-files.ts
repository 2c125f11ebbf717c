/**
 * Recorded PCM of voice turns not yet answered, one file per turn in a folder beside the database, so a turn left
 * unsent can still be sent after a restart. Audio is kept out of the database: it is large, written once and read
 * at most once, and a file is simply removed when the turn is sent or discarded.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The files of one folder, named after turn ids. */
export class AudioFiles {
  /** @param dir the folder; created on the first save. */
  constructor(readonly dir: string) {}

  /** The file for a turn. Ids come from the caller: anything but [A-Za-z0-9_-] is escaped, so no id can leave the folder. */
  fileFor(turnId: string): string {
    const safe = turnId.replace(
      /[^A-Za-z0-9_-]/gu,
      (c) => `%${[...Buffer.from(c, 'utf8')].map((b) => b.toString(16).padStart(2, '0')).join('%')}`,
    );
    return join(this.dir, `${safe}.pcm`);
  }

  /** Writes to a temporary name first: a crash mid-write leaves no truncated recording under the real name. */
  save(turnId: string, pcm: Buffer): void {
    mkdirSync(this.dir, { recursive: true });
    const file = this.fileFor(turnId);
    writeFileSync(`${file}.tmp`, pcm);
    renameSync(`${file}.tmp`, file);
  }

  /** The recording, or null when there is none. */
  load(turnId: string): Buffer | null {
    try {
      return readFileSync(this.fileFor(turnId));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  /** Removes the recording; nothing happens when there is none. */
  delete(turnId: string): void {
    rmSync(this.fileFor(turnId), { force: true });
  }

  /** Removes half-written files left by a process that was killed while saving. */
  removeLeftovers(): void {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return; // No folder yet: nothing was ever saved.
    }
    for (const name of names) if (name.endsWith('.tmp')) rmSync(join(this.dir, name), { force: true });
  }
}
