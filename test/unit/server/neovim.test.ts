import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { examplesDir, repoRoot } from '../../support';

/** Neovim from PATH: in CI its absence fails the suite (scripts/e2e/setup.sh installs it); elsewhere the suite is skipped with one line. */
function neovimAvailable(): boolean {
  const found = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
  if (found.status === 0) return true;
  const why = 'nvim is missing (apt-get install -y neovim, or bash scripts/e2e/setup.sh)';
  if (process.env.CI === 'true') throw new Error(why);
  console.log(`Neovim test skipped: ${why}`);
  return false;
}

describe('the language server in Neovim (a client nobody here wrote)', function () {
  before(function () {
    if (!neovimAvailable()) this.skip();
    if (!existsSync(resolve(repoRoot, 'dist', 'cli.js'))) throw new Error('dist/cli.js is missing: run `npm run build` first');
  });

  it('brings EXR001 at 28:11 of the exposed example through Neovim’s built-in vim.lsp client, with the README’s configuration', () => {
    const run = spawnSync('nvim', ['--headless', '-u', 'NONE', '-c', `luafile ${resolve(repoRoot, 'test/neovim/print-diagnostics.lua')}`], {
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        ...process.env,
        EXR_ROOT: repoRoot,
        EXR_NODE: process.execPath,
        EXR_FILE: resolve(examplesDir, 'kb924567-exposed.runbook.yaml'),
      },
    });
    assert.equal(run.error, undefined, `nvim did not finish: ${run.error?.message}`);
    assert.equal(run.status, 0, `nvim exited ${run.status}: ${run.stderr}`);
    const lines = run.stdout.trim().split('\n');
    assert.ok(
      lines.some((line) => /^28:11 EXR001 Step `wave1` moves mailboxes off EXCH01\b/.test(line)),
      `what Neovim printed:\n${run.stdout}${run.stderr}`,
    );
  });
});
