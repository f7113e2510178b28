// Runs the in-host suite (index.ts) in a desktop VS Code through @vscode/test-electron.
// It cannot download VS Code on these machines, so it needs VSCODE_EXECUTABLE_PATH; without it,
// it says so and exits 0. test/e2e/run.mjs runs the same suite inside code-server.
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

const repoRoot = path.resolve(__dirname, '../../..');

function examplesDir(): string {
  return process.env.EXR_EXAMPLES_DIR ?? path.resolve(repoRoot, 'examples');
}

async function main(): Promise<number> {
  const vscodeExecutablePath = process.env.VSCODE_EXECUTABLE_PATH;
  if (!vscodeExecutablePath) {
    console.log('skipped: no VS Code to run in-host tests (set VSCODE_EXECUTABLE_PATH)');
    return 0;
  }
  if (!existsSync(examplesDir())) {
    console.error(`in-host tests: example runbooks not found at ${examplesDir()} (set EXR_EXAMPLES_DIR)`);
    return 1;
  }
  // A scratch copy: the tests edit documents (then revert), and the originals are read-only in CI.
  const scratch = mkdtempSync(path.join(tmpdir(), 'exr-inhost-'));
  const workspace = path.join(scratch, 'workspace');
  try {
    for (const name of readdirSync(examplesDir())) cpSync(path.join(examplesDir(), name), path.join(workspace, name));
    await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: path.join(__dirname, 'index.js'),
      launchArgs: [
        workspace,
        '--disable-extensions',
        '--disable-workspace-trust',
        `--user-data-dir=${path.join(scratch, 'user-data')}`,
        `--extensions-dir=${path.join(scratch, 'extensions')}`,
      ],
    });
    return 0;
  } catch (error) {
    console.error(`in-host tests failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().then((code) => process.exit(code));
