// Entry point that VS Code's extension host loads as `extensionTestsPath`: runs the in-host
// suite with mocha's programmatic API and settles when it is done (rejects on any failure).
// Used both by @vscode/test-electron (runTests.ts) and by code-server (test/e2e/run.mjs).
import * as path from 'node:path';
import Mocha from 'mocha';

/** Prefix of every line this suite prints, so that test/e2e/run.mjs can pick them out of the
 *  browser console, where code-server forwards the extension host's console. */
export const LINE_PREFIX = '[in-host]';

function say(text: string): void {
  // One plain string per call: the forwarding to the browser does not apply printf formats.
  console.log(`${LINE_PREFIX} ${text}`);
}

export function run(): Promise<void> {
  // Base reporter: counts without printing; the lines below are the whole report.
  const mocha = new Mocha({ ui: 'bdd', timeout: 30_000, color: false, reporter: Mocha.reporters.Base });
  mocha.addFile(path.join(__dirname, 'extension.test.js'));
  return new Promise((resolve, reject) => {
    try {
      let passed = 0;
      let failed = 0;
      const runner = mocha.run((failures) => {
        say(`${passed} passing, ${failed} failing`);
        if (failures > 0) reject(new Error(`${failures} in-host test(s) failed`));
        else resolve();
      });
      runner.on('pass', (test) => {
        passed++;
        say(`✔ ${test.title}`);
      });
      runner.on('fail', (test, error: Error) => {
        failed++;
        say(`✘ ${test.title}`);
        for (const line of String(error?.message ?? error)
          .split('\n')
          .slice(0, 12))
          say(`    ${line}`);
      });
    } catch (error) {
      reject(error);
    }
  });
}
