// Runs the in-host mocha suite (test/integration, compiled to out/test/integration) inside
// code-server's extension host: the extension-test arguments go in the workbench URL, and the
// workbench reports the result through window.codeAutomationExit / codeAutomationLog.
import { withTimeout } from './processes.mjs';

/** Must match LINE_PREFIX in test/integration/index.ts. */
const LINE_PREFIX = '[in-host]';

/** Resolves with { exitCode, output } where output is the suite's console lines. */
export async function runInHostSuite({ context, origin, port, extensionPath, testsPath, workspace, timeoutMs }) {
  const page = await context.newPage();
  const output = [];
  let reportExit;
  const exited = new Promise((resolve) => {
    reportExit = resolve;
  });
  await page.exposeFunction('codeAutomationExit', (code) => reportExit(Number(code)));
  await page.exposeFunction('codeAutomationLog', () => undefined);
  // The extension host's console is forwarded to the page's; the suite marks its own lines.
  page.on('console', (message) => {
    const text = message.text();
    const at = text.indexOf(LINE_PREFIX);
    if (at >= 0) output.push(text.slice(at + LINE_PREFIX.length + 1).trimEnd());
  });

  const remote = (path) => `vscode-remote://127.0.0.1:${port}${path}`;
  const payload = [
    ['extensionDevelopmentPath', remote(extensionPath)],
    ['extensionTestsPath', remote(testsPath)],
  ];
  const url = `${origin}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  await page.goto(url, { timeout: 30_000 });
  const exitCode = await withTimeout(exited, timeoutMs, 'the in-host suite to report its exit code');
  return { exitCode, output, page };
}
