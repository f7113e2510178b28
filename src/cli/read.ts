/**
 * Bounded input for the CLI: a runbook is read from a path or standard input, never more than
 * MAX_INPUT_BYTES + 1 bytes whatever the path is (a regular file, /dev/zero, a FIFO, a pipe),
 * because `stat` says 0 bytes for devices, FIFOs and pipes and cannot be trusted as the limit.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** An I/O problem the CLI reports in one line (exit 2). */
export class InputError extends Error {}

/** Larger inputs are refused; the core refuses texts over 8 MB before parsing, with a diagnostic (docs/reliability.md). */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;

const CHUNK_BYTES = 1024 * 1024;

/** The bytes of `path`, at most `limit` of them; InputError for anything that stops the read. */
export function readPathBounded(path: string, limit = MAX_INPUT_BYTES): Uint8Array {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw new InputError(`cannot read ${path}: ${describeIoError(error)}`);
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw new InputError(`${path} is a directory, not a runbook file`);
    // A regular file says its size: refuse before reading. Anything else is read up to the limit.
    if (stat.isFile() && stat.size > limit) throw tooLarge(path, limit, stat.size);
    return readFdBounded(fd, path, limit);
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads `fd` to its end, or throws InputError after `limit + 1` bytes: at most one byte more than
 * the limit is ever read, so an endless source (/dev/zero, `yes |`) stops at once.
 */
export function readFdBounded(fd: number, name: string, limit = MAX_INPUT_BYTES): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const chunk = new Uint8Array(Math.min(CHUNK_BYTES, limit + 1 - total));
    let count: number;
    try {
      count = readSync(fd, chunk, 0, chunk.length, null);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException)?.code;
      // Standard input inherited in non-blocking mode has no data yet: wait a little, as a blocking read would.
      if (code === 'EAGAIN') {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
        continue;
      }
      if (code === 'EOF') break; // Windows consoles report the end of input this way
      throw new InputError(`cannot read ${name}: ${describeIoError(error)}`);
    }
    if (count === 0) break;
    chunks.push(count === chunk.length ? chunk : chunk.subarray(0, count));
    total += count;
    if (total > limit) throw tooLarge(name, limit);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}

/** Runbook bytes as text: invalid UTF-8 becomes U+FFFD (the schema check then points at it); a BOM is dropped. */
export function decodeRunbook(bytes: Uint8Array): string {
  return new TextDecoder('utf-8').decode(bytes);
}

function tooLarge(name: string, limit: number, size?: number): InputError {
  const mb = (bytes: number) => `${Math.round(bytes / 1048576)} MB`;
  const held = size === undefined ? `holds more than ${mb(limit)}` : `is ${mb(size)}`;
  return new InputError(`${name} ${held}; runbooks over ${mb(limit)} are not read`);
}

export function describeIoError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory';
  return String((error as Error)?.message ?? error).split('\n')[0];
}
