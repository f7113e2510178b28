// Starts and stops code-server (VS Code 1.100 served to a browser) installed by
// scripts/e2e/setup.sh into .e2e/code-server.
import { execFile, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, killProcessGroup, waitUntil } from './processes.mjs';

const execFileAsync = promisify(execFile);

export function codeServerEntry(repoRoot) {
  return join(repoRoot, '.e2e/code-server/node_modules/code-server/out/node/entry.js');
}

/** Environment that keeps code-server's (and chromium's) files inside the run's scratch folder. */
export function isolatedEnv(scratch) {
  const env = { ...process.env };
  for (const [name, folder] of [
    ['HOME', 'home'],
    ['XDG_CONFIG_HOME', 'xdg/config'],
    ['XDG_DATA_HOME', 'xdg/data'],
    ['XDG_CACHE_HOME', 'xdg/cache'],
  ]) {
    env[name] = join(scratch, folder);
    mkdirSync(env[name], { recursive: true });
  }
  // Inherited from npm when run through `npm run`; they would leak into the extension host.
  for (const name of Object.keys(env)) if (name.startsWith('npm_')) delete env[name];
  delete env.ELECTRON_RUN_AS_NODE;
  return env;
}

export async function installExtension({ repoRoot, vsix, extensionsDir, env }) {
  mkdirSync(extensionsDir, { recursive: true });
  await execFileAsync(process.execPath, [codeServerEntry(repoRoot), '--install-extension', vsix, '--extensions-dir', extensionsDir], {
    env,
    timeout: 60_000,
  });
}

/** Writes the user settings that keep the workbench quiet and predictable for the tests. */
export function writeUserSettings(userDataDir) {
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  const settings = {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'security.workspace.trust.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.ignoreRecommendations': true,
    'extensions.autoCheckUpdates': false,
    'chat.commandCenter.enabled': false,
    'files.autoSave': 'off',
    'editor.minimap.enabled': false,
    // The test drives the suggest widget itself; no auto-popups racing with it.
    'editor.quickSuggestions': { other: false, comments: false, strings: false },
    // Only the language's own completions: words of the file would crowd the list.
    'editor.wordBasedSuggestions': 'off',
    'editor.hover.delay': 300,
  };
  writeFileSync(join(userDataDir, 'User/settings.json'), JSON.stringify(settings, null, 2));
}

/**
 * Starts code-server on a free port of 127.0.0.1, in its own process group, logging to `logFile`.
 * Resolves once /healthz answers; `stop()` ends the whole group.
 */
export async function startCodeServer({ repoRoot, scratch, name, extensionsDir, folder, env }) {
  const userDataDir = join(scratch, `${name}-user-data`);
  writeUserSettings(userDataDir);
  mkdirSync(extensionsDir, { recursive: true });
  const port = await freePort();
  const logFile = join(scratch, `${name}-code-server.log`);
  const log = createWriteStream(logFile);
  await new Promise((resolve) => log.on('open', resolve));
  const args = [
    codeServerEntry(repoRoot),
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
    folder,
  ];
  const child = spawn(process.execPath, args, { env, detached: true, stdio: ['ignore', log, log] });
  let exited = null;
  child.on('exit', (code, signal) => {
    exited = signal ?? code;
  });
  const origin = `http://127.0.0.1:${port}`;
  const server = {
    port,
    origin,
    logFile,
    child,
    logTail: (lines = 30) => readLogTail(logFile, lines),
    stop: async () => {
      await killProcessGroup(child);
      log.end();
    },
  };
  const exitedEarly = () => new Error(`code-server exited (${exited}) before answering:\n${server.logTail()}`);
  try {
    await waitUntil(
      async () => {
        if (exited !== null) return true; // stop polling; reported below
        const response = await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(2000) });
        return response.ok;
      },
      { ms: 30_000, every: 200, what: `code-server /healthz on port ${port}` },
    );
  } catch (error) {
    await server.stop();
    throw error;
  }
  if (exited !== null) {
    await server.stop();
    throw exitedEarly();
  }
  return server;
}

function readLogTail(logFile, lines) {
  if (!existsSync(logFile)) return '';
  return readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}
