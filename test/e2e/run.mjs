// End-to-end tests in a real VS Code: builds the VSIX, installs it into code-server, and drives
// the workbench with Debian's chromium through playwright-core. Then runs the in-host suite
// (test/integration) inside a second, fresh code-server.
//
//   node test/e2e/run.mjs [--no-package] [--vsix FILE] [--only NAME,NAME] [--no-in-host]
//
// --no-package (or E2E_VSIX_FRESH=1): use exchange-runbook-studio.vsix as it is.
// Needs scripts/e2e/setup.sh to have run; without chromium or code-server it skips (exit 0),
// except under CI=true, where that is a failure.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { codeServerEntry, installExtension, isolatedEnv, startCodeServer } from './lib/codeServer.mjs';
import { packageHostProbe } from './lib/hostProbe.mjs';
import { runInHostSuite } from './lib/inHost.mjs';
import { killProcessesMentioning, withTimeout } from './lib/processes.mjs';
import { CHROMIUM_FLAGS, waitForWorkbench } from './lib/workbench.mjs';
import { editorScenarios } from './editorScenarios.mjs';
import { COMPLETION_SCRATCH, EXPOSED, scenarios } from './scenarios.mjs';
import { webMissing, webScenario } from './web.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const resultsDir = join(repoRoot, 'test-results/e2e');
const chromiumPath = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';
const examplesDir = process.env.EXR_EXAMPLES_DIR ?? resolve(repoRoot, 'examples');
const defaultVsix = join(repoRoot, 'exchange-runbook-studio.vsix');
const SCENARIO_TIMEOUT_MS = 90_000;
const IN_HOST_TIMEOUT_MS = 120_000;
const WHOLE_RUN_TIMEOUT_MS = Number(process.env.E2E_TIMEOUT_MS ?? 8 * 60_000);

function parseArguments(argv) {
  const options = { packageVsix: process.env.E2E_VSIX_FRESH !== '1', vsix: defaultVsix, only: null, inHost: true };
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index];
    if (argument === '--no-package') options.packageVsix = false;
    else if (argument === '--vsix') {
      options.vsix = resolve(argv[++index] ?? '');
      options.packageVsix = false;
    } else if (argument === '--only') options.only = new Set((argv[++index] ?? '').split(','));
    else if (argument === '--no-in-host') options.inHost = false;
    else {
      console.error(`e2e: unknown argument ${argument}`);
      process.exit(2);
    }
  }
  return options;
}

const results = [];
function report(name, error, seconds) {
  results.push({ name, passed: !error });
  const time = `(${seconds.toFixed(1)} s)`;
  if (!error) console.log(`  ✔ ${name} ${time}`);
  else {
    console.log(`  ✘ ${name} ${time}`);
    // eslint-disable-next-line no-control-regex -- strips terminal colour codes
    const message = String(error instanceof Error ? error.message : error).replace(/\x1b\[[0-9;]*m/g, '');
    for (const line of message.split('\n').slice(0, 25)) console.log(`      ${line}`);
  }
}

function missingPrerequisites() {
  const missing = [];
  if (!existsSync(chromiumPath)) missing.push(`chromium (${chromiumPath})`);
  if (!existsSync(codeServerEntry(repoRoot))) missing.push('code-server (.e2e/code-server)');
  return missing;
}

function buildVsix() {
  const started = Date.now();
  const build = spawnSync('npm', ['run', '--silent', 'package'], { cwd: repoRoot, encoding: 'utf8', timeout: 240_000 });
  if (build.status !== 0) {
    const output = `${build.stdout ?? ''}${build.stderr ?? ''}`.trim().split('\n').slice(-20).join('\n');
    throw new Error(`npm run package failed (${build.error?.message ?? `exit ${build.status}`}):\n${output}`);
  }
  console.log(`e2e: packaged the VSIX in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** Compiles the in-host suite when its output is missing or older than its sources. */
function ensureInHostSuiteCompiled() {
  const compiled = join(repoRoot, 'out/test/integration/index.js');
  const sources = join(repoRoot, 'test/integration');
  const newestSource = Math.max(...readdirSync(sources).map((name) => statSync(join(sources, name)).mtimeMs));
  if (existsSync(compiled) && statSync(compiled).mtimeMs >= newestSource) return;
  // Errors elsewhere in the project do not stop tsc from emitting; check for our output instead.
  spawnSync(join(repoRoot, 'node_modules/.bin/tsc'), ['-p', repoRoot], { cwd: repoRoot, encoding: 'utf8', timeout: 240_000 });
  if (!existsSync(compiled)) throw new Error('tsc did not produce out/test/integration/index.js');
}

function makeWorkspace(scratch) {
  const workspace = join(scratch, 'workspace');
  mkdirSync(workspace, { recursive: true });
  for (const name of readdirSync(examplesDir)) cpSync(join(examplesDir, name), join(workspace, name));
  cpSync(join(examplesDir, EXPOSED), join(workspace, COMPLETION_SCRATCH));
  return workspace;
}

/** Chromium with a fresh profile; `preferences` are written into it first (Chromium reads them at start). */
async function launchBrowser(chromium, scratch, name, env, preferences) {
  const profile = join(scratch, `${name}-chromium-profile`);
  if (preferences) {
    mkdirSync(join(profile, 'Default'), { recursive: true });
    writeFileSync(join(profile, 'Default', 'Preferences'), JSON.stringify(preferences));
  }
  return chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1440, height: 900 },
    env,
    timeout: 60_000,
  });
}

/** Everything started in this run, so that one place can end it all. */
const running = { servers: new Set(), contexts: new Set(), scratch: null };

async function cleanUp() {
  for (const context of running.contexts) await withTimeout(context.close(), 10_000, 'closing chromium').catch(() => undefined);
  for (const server of running.servers) await server.stop().catch(() => undefined);
  running.contexts.clear();
  running.servers.clear();
  if (running.scratch) {
    killProcessesMentioning(running.scratch);
    // Keep the servers' logs beside the screenshots: the first thing to read when a scenario fails.
    for (const name of readdirSync(running.scratch)) {
      if (name.endsWith('code-server.log') || name.endsWith('test-web.log')) cpSync(join(running.scratch, name), join(resultsDir, name));
    }
    reportActivationTime(running.scratch);
    rmSync(running.scratch, { recursive: true, force: true, maxRetries: 3 });
    running.scratch = null;
  }
}

/** Prints how long activate() took, from the line the extension logs to its output channel (a figure, not a test). */
function reportActivationTime(folder) {
  const pending = [folder];
  while (pending.length > 0) {
    const current = pending.pop();
    let entries;
    try {
      entries = readdirSync(current, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) pending.push(path);
      else if (entry.name.endsWith('Exchange Runbook.log')) {
        const match = /activated in ([0-9.]+) ms/.exec(readFileSync(path, 'utf8'));
        if (match) console.log(`e2e: extension activate() took ${match[1]} ms (from its output channel)`);
      }
    }
  }
}

async function uiScenarios({ chromium, scratch, workspace, env, vsix, only }) {
  // The editor scenarios type and hover: they come before the one that leaves the server busy with 8 MB.
  const base = scenarios({ workspace });
  const last = base.filter((scenario) => scenario.name === 'host-answers-while-server-busy');
  const list = [...base.filter((scenario) => !last.includes(scenario)), ...editorScenarios({ workspace }), ...last].filter(
    (scenario) => !only || only.has(scenario.name),
  );
  if (list.length === 0) return;
  const extensionsDir = join(scratch, 'ui-extensions');
  let page;
  try {
    await installExtension({ repoRoot, vsix, extensionsDir, env });
    // The test-only probe (test/e2e/hostProbe), for the scenarios that time the extension host.
    if (list.some((scenario) => scenario.hostProbe)) {
      const probe = await packageHostProbe({ repoRoot, outDir: scratch });
      await installExtension({ repoRoot, vsix: probe, extensionsDir, env });
    }
    const server = await startCodeServer({ repoRoot, scratch, name: 'ui', extensionsDir, folder: workspace, env });
    running.servers.add(server);
    const context = await launchBrowser(chromium, scratch, 'ui', env);
    running.contexts.add(context);
    context.setDefaultTimeout(15_000);
    page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${server.origin}/?folder=${encodeURIComponent(workspace)}`, { timeout: 30_000 });
    await waitForWorkbench(page);
  } catch (error) {
    for (const scenario of list) report(scenario.name, `could not start the workbench: ${error.message}`, 0);
    if (page) await page.screenshot({ path: join(resultsDir, 'workbench-start.png') }).catch(() => undefined);
    return;
  }
  for (const scenario of list) {
    const started = Date.now();
    let shots = 0;
    const screenshot = async (name = scenario.name) => {
      shots++;
      await page.screenshot({ path: join(resultsDir, `${name}.png`), timeout: 10_000 });
    };
    let failure = null;
    try {
      await page.mouse.move(5, 5); // no tooltip left over from the scenario before
      await withTimeout(scenario.run({ page, screenshot }), SCENARIO_TIMEOUT_MS, scenario.title);
    } catch (error) {
      failure = error;
    }
    // The scenario's own screenshot (taken at its telling moment) is kept; otherwise take one now.
    if (shots === 0 || failure) await screenshot(shots === 0 ? scenario.name : `${scenario.name}-failed`).catch(() => undefined);
    report(scenario.name, failure && `${scenario.title}\n${failure.message}`, (Date.now() - started) / 1000);
    await page.keyboard.press('Escape').catch(() => undefined);
  }
}

/** The web extension in VS Code for the Web (test/e2e/web.mjs), in its own browser and server. */
async function webExtension({ chromium, scratch, workspace, env, vsix }) {
  const missing = webMissing(repoRoot);
  if (missing) {
    const why = `${missing} not installed; run: bash scripts/e2e/setup.sh`;
    if (process.env.CI === 'true') report(webScenario.name, why, 0);
    else console.log(`  - ${webScenario.name} skipped: ${why}`);
    return;
  }
  const started = Date.now();
  let page;
  let shots = 0;
  const screenshot = async (name = webScenario.name) => {
    shots++;
    await page.screenshot({ path: join(resultsDir, `${name}.png`), timeout: 10_000 });
  };
  let failure = null;
  let web;
  try {
    web = await webScenario.start({ chromium, repoRoot, scratch, vsix, workspace, env, launchBrowser });
    page = web.page;
    running.contexts.add(web.context);
    running.servers.add({ stop: web.stop });
    await withTimeout(webScenario.run({ page, screenshot }), SCENARIO_TIMEOUT_MS, webScenario.title);
  } catch (error) {
    failure = error;
    if (web?.errors.length) failure.message += `\nthe browser's console errors:\n${web.errors.slice(-8).join('\n')}`;
  }
  if (page && (shots === 0 || failure)) await screenshot(failure ? `${webScenario.name}-failed` : webScenario.name).catch(() => undefined);
  report(webScenario.name, failure && `${webScenario.title}\n${failure.message}`, (Date.now() - started) / 1000);
}

async function inHostSuite({ chromium, scratch, workspace, env }) {
  const name = 'in-host-suite';
  const started = Date.now();
  let failure = null;
  let result;
  try {
    ensureInHostSuiteCompiled();
    // An empty extensions folder: the extension under test comes from extensionDevelopmentPath.
    const server = await startCodeServer({
      repoRoot,
      scratch,
      name: 'in-host',
      extensionsDir: join(scratch, 'in-host-extensions'),
      folder: workspace,
      env,
    });
    running.servers.add(server);
    const context = await launchBrowser(chromium, scratch, 'in-host', env);
    running.contexts.add(context);
    result = await runInHostSuite({
      context,
      origin: server.origin,
      port: server.port,
      extensionPath: repoRoot,
      testsPath: join(repoRoot, 'out/test/integration/index.js'),
      workspace,
      timeoutMs: IN_HOST_TIMEOUT_MS,
    });
    await result.page.screenshot({ path: join(resultsDir, `${name}.png`), timeout: 10_000 }).catch(() => undefined);
    if (result.exitCode !== 0) failure = `the suite exited ${result.exitCode}`;
  } catch (error) {
    failure = error.message;
  }
  const output = result?.output.filter((line) => line.trim() !== '') ?? [];
  report(`${name} (test/integration in code-server's extension host)`, failure, (Date.now() - started) / 1000);
  for (const line of output) console.log(`      ${line}`);
}

async function main() {
  const options = parseArguments(process.argv.slice(2));
  const missing = missingPrerequisites();
  if (missing.length > 0) {
    const why = `${missing.join(' and ')} not installed; run: bash scripts/e2e/setup.sh`;
    if (process.env.CI === 'true') {
      report('e2e prerequisites (CI=true: the tests must run)', why, 0);
      return 1;
    }
    console.log(`e2e tests skipped: ${why}`);
    return 0;
  }
  if (!existsSync(examplesDir)) {
    console.error(`e2e: example runbooks not found at ${examplesDir} (set EXR_EXAMPLES_DIR)`);
    return 1;
  }
  const wholeRunStarted = Date.now();
  mkdirSync(resultsDir, { recursive: true });
  for (const name of readdirSync(resultsDir)) if (name.endsWith('.png')) rmSync(join(resultsDir, name));

  if (options.packageVsix) buildVsix();
  if (!existsSync(options.vsix)) throw new Error(`no VSIX at ${options.vsix} (run npm run package)`);
  // The issue's budget for what users download: under 1 MB.
  const vsixBytes = statSync(options.vsix).size;
  console.log(`e2e: the VSIX is ${(vsixBytes / 1024).toFixed(0)} KB (${vsixBytes.toLocaleString('en-US')} bytes)`);
  if (vsixBytes >= 1_000_000) report('vsix-under-1-mb', `the VSIX is ${vsixBytes.toLocaleString('en-US')} bytes, over 1 MB`, 0);

  const { chromium } = await import('playwright-core');
  running.scratch = mkdtempSync(join(tmpdir(), 'exr-e2e-'));
  const scratch = running.scratch;
  const env = isolatedEnv(scratch);
  const workspace = makeWorkspace(scratch);
  console.log('e2e: VS Code (code-server 4.100.3) + chromium, scenarios:');
  await uiScenarios({ chromium, scratch, workspace, env, vsix: options.vsix, only: options.only });
  if (!options.only || options.only.has(webScenario.name)) {
    await cleanUp();
    running.scratch = mkdtempSync(join(tmpdir(), 'exr-e2e-'));
    await webExtension({
      chromium,
      scratch: running.scratch,
      workspace: makeWorkspace(running.scratch),
      env: isolatedEnv(running.scratch),
      vsix: options.vsix,
    });
  }
  // The UI scenarios edited the workspace; the in-host suite gets pristine copies.
  if (options.inHost && (!options.only || options.only.has('in-host-suite'))) {
    await cleanUp();
    running.scratch = mkdtempSync(join(tmpdir(), 'exr-e2e-'));
    const inHostEnv = isolatedEnv(running.scratch);
    await inHostSuite({ chromium, scratch: running.scratch, workspace: makeWorkspace(running.scratch), env: inHostEnv });
  }
  await cleanUp();
  console.log(`e2e: finished in ${((Date.now() - wholeRunStarted) / 1000).toFixed(1)} s; screenshots in test-results/e2e/`);
  return results.every((result) => result.passed) ? 0 : 1;
}

function summary() {
  const passed = results.filter((result) => result.passed).length;
  console.log(`${passed} passed, ${results.length - passed} failed`);
}

const watchdog = setTimeout(async () => {
  console.error(`e2e: the whole run exceeded ${WHOLE_RUN_TIMEOUT_MS / 1000} s; stopping`);
  await cleanUp().catch(() => undefined);
  results.push({ name: 'whole-run-timeout', passed: false });
  summary();
  process.exit(1);
}, WHOLE_RUN_TIMEOUT_MS);

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    await cleanUp().catch(() => undefined);
    process.exit(130);
  });
}

let exitCode;
try {
  exitCode = await main();
  if (results.length > 0 || exitCode !== 0) summary();
} catch (error) {
  console.error(`e2e: ${error instanceof Error ? error.message : error}`);
  results.push({ name: 'harness', passed: false });
  summary();
  exitCode = 1;
} finally {
  await cleanUp().catch(() => undefined);
  clearTimeout(watchdog);
}
process.exit(exitCode);
