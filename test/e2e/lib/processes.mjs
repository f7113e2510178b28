// Process and timing helpers for the e2e harness: every wait is bounded, every process we start
// is ended by its own id (its process group, then anything still naming our scratch folder).
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Rejects with `what` in the message when `promise` takes longer than `ms`. */
export function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${Math.round(ms / 1000)} s: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Polls `probe` until it returns a truthy value, which it resolves with. `probe(note)` may call
 * `note(value)` to record what it saw; the timeout error quotes the last note (or error).
 */
export async function waitUntil(probe, { ms, every = 250, what }) {
  const deadline = Date.now() + ms;
  let lastSeen;
  const note = (value) => {
    lastSeen = typeof value === 'string' ? value : JSON.stringify(value);
  };
  for (;;) {
    try {
      const result = await probe(note);
      if (result) return result;
    } catch (error) {
      lastSeen = error instanceof Error ? error.message.split('\n')[0] : String(error);
    }
    if (Date.now() >= deadline) {
      throw new Error(`timed out after ${Math.round(ms / 1000)} s waiting for ${what}${lastSeen ? `; last seen: ${lastSeen}` : ''}`);
    }
    await sleep(every);
  }
}

/** A TCP port free on 127.0.0.1 right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Ends a child started with `detached: true` (so it leads its own process group): TERM, then KILL. */
export async function killProcessGroup(child, graceMs = 3000) {
  if (!child || child.pid === undefined) return;
  const signalGroup = (signal) => {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  signalGroup('SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isAlive(child.pid) && Date.now() < deadline) await sleep(100);
  signalGroup('SIGKILL');
}

/**
 * Kills, by pid, the processes whose command line contains `marker` (a scratch folder unique to
 * this run): catches any helper that left our process groups (e.g. chromium's zygotes).
 */
export function killProcessesMentioning(marker) {
  let killed = 0;
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    let commandLine;
    try {
      commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (!commandLine.includes(marker)) continue;
    try {
      process.kill(pid, 'SIGKILL');
      killed++;
    } catch {
      // exited meanwhile
    }
  }
  return killed;
}
