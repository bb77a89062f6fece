/**
 * Files a command returns (XSOAR file entries, e.g. the password-protected TAP archive): written
 * to the instance's files directory, private to the user.
 */
import { randomUUID } from 'node:crypto';
import { unlink, writeFile } from '../base/fs-async.js';
import { basename, join } from 'node:path';
import { describeFileSystemError } from '../base/fs-errors.js';
import { makePrivateDir } from '../base/private-dir.js';
import { EntryType, type Entry } from './entries.js';
import type { FileStore, SavedFile } from './handler.js';

export function directoryFileStore(dir: string): FileStore {
  return {
    async save(name: string, data: Buffer): Promise<SavedFile> {
      await makePrivateDir(dir);
      const fileId = randomUUID();
      const safeName = basename(name).replace(/[^\w.-]/g, '_') || 'file';
      const path = join(dir, `${fileId}-${safeName}`);
      try {
        await writeFile(path, data, { mode: 0o600 });
      } catch (error) {
        await unlink(path).catch(() => undefined);
        throw describeFileSystemError(error, `save ${safeName} as`, path, true);
      }
      return { name: safeName, path, fileId };
    },
  };
}

/**
 * A file entry as CommonServerPython's `fileResult` makes it: no caption and no context (XSOAR
 * shows the file itself), so playbooks that pick entries by type or position see what they saw.
 */
export function fileEntry(file: SavedFile): Entry {
  return {
    Type: EntryType.FILE,
    ContentsFormat: 'text',
    Contents: '',
    HumanReadable: null,
    EntryContext: null,
    File: file.name,
    FileID: file.fileId,
  };
}
