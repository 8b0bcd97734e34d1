// Atomic file writes: a crash leaves either the old file or the complete new one, never half of each.
//
// Write a temp file beside the target, fsync it, rename it over the target (atomic on POSIX and NTFS), then
// fsync the directory so the rename itself survives a power cut (best effort: Windows cannot open directories).
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export interface AtomicWriteOptions {
  /** File mode of a newly created file; private (0o600) unless the caller says otherwise. */
  mode?: number;
}

/** Writes `text` (UTF-8) to `path` atomically; returns the number of bytes written. */
export function writeFileAtomic(path: string, text: string, options: AtomicWriteOptions = {}): number {
  const tmp = `${path}.${process.pid}.tmp`;
  const bytes = Buffer.from(text, 'utf8');
  const fd = openSync(tmp, 'w', options.mode ?? 0o600);
  try {
    try {
      writeSync(fd, bytes);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  try {
    const dirFd = openSync(dirname(path), 'r');
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
  } catch {
    // Directory fsync is not possible on every platform (Windows); the rename is still atomic.
  }
  return bytes.length;
}
