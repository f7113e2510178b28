import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { RULES } from '../../src/core/rules';
import { expectedPath, goldenCases, lintOutput } from '../golden/golden';
import { repoRoot } from '../support';

/** Whole messages pinned: `exrunbook lint` on each test/golden runbook prints exactly its .out file. */
describe('golden tests (test/golden: exrunbook lint output, whole)', () => {
  for (const runbook of goldenCases()) {
    it(runbook, () => {
      const path = expectedPath(runbook);
      assert.ok(existsSync(path), `${path} is missing: run npm run golden:update and review it`);
      assert.equal(lintOutput(runbook), readFileSync(path, 'utf8'), 'the output changed: if that is intended, run npm run golden:update');
    });
  }

  it('cover every rule code', () => {
    const outputs = goldenCases()
      .map((runbook) => readFileSync(expectedPath(runbook), 'utf8'))
      .join('\n');
    const missing = RULES.map((rule) => rule.code).filter((code) => !outputs.includes(` ${code} `));
    assert.deepEqual(missing, [], 'every code needs a golden test that shows it');
  });

  it('every rule module is in the list of rules (src/core/rules/index.ts)', () => {
    const modules = readdirSync(resolve(repoRoot, 'src', 'core', 'rules'))
      .filter((name) => /^exr\d+\.ts$/.test(name))
      .map((name) => name.replace(/^exr(\d+)\.ts$/, 'EXR$1'));
    assert.deepEqual(modules.sort(), RULES.map((rule) => rule.code).sort());
  });
});
