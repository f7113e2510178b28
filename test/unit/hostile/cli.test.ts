import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { RunbookDiagnostic } from '../../../src/core/diagnostics';
import { hostileCorpus, type HostileCase } from '../../fixtures/hostile/corpus';
import { diagnosticProblems, prototypeChanges, prototypeSnapshot } from '../../fuzz/invariants';
import { repoRoot } from '../../support';
import { cliWith, type Captured } from '../cli/memoryIo';

const smallCases = hostileCorpus().filter((hostile) => !hostile.large);

describe('hostile corpus: the CLI in process (run() with a fake io)', function () {
  this.timeout(60_000);
  for (const hostile of smallCases) {
    it(`lint --format json, lint text and simulate --json: ${hostile.name}`, () => {
      const text = hostile.text();
      const file = 'hostile.runbook.yaml';
      const before = prototypeSnapshot();

      const json = cliWith({ [file]: text }, ['lint', '--format', 'json', file]);
      assert.ok(json.code === 0 || json.code === 1, `lint exits 0 or 1, not ${json.code}: ${json.stderr}`);
      assert.equal(json.stderr, '');
      const diagnostics = JSON.parse(json.stdout).files[0].diagnostics as RunbookDiagnostic[];
      const hasError = diagnostics.some((d) => d.severity === 'error');
      assert.equal(json.code, hasError ? 1 : 0);
      // JSON output carries ranges only; check them against the document with spans rebuilt from nothing.
      const problems = diagnosticProblems(
        text,
        diagnostics.map((d) => ({ ...d, span: { start: 0, end: 0 } })),
      ).filter((problem) => !/does not match its span/.test(problem));
      assert.deepEqual(problems, []);

      const plain = cliWith({ [file]: text }, ['lint', file]);
      assert.equal(plain.code, json.code);
      assert.ok(
        plain.stdout.split('\n').every((line) => !line.includes('\r')),
        'no raw CR in text output lines',
      );

      const simulated = cliWith({ [file]: text }, ['simulate', '--json', file]);
      assert.ok(simulated.code === 0 || simulated.code === 1, `simulate exits 0 or 1, not ${simulated.code}: ${simulated.stderr}`);
      if (simulated.code === 0) JSON.parse(simulated.stdout);
      else assert.match(simulated.stderr, /^exrunbook: /);
      assert.ok(!/internal error/.test(simulated.stderr + json.stderr + plain.stderr), 'no internal error');
      assert.deepEqual(prototypeChanges(before), []);
    });
  }
});

describe('hostile inputs through the built CLI (dist/cli.js as a child process)', function () {
  this.timeout(120_000);
  const bin = resolve(repoRoot, 'bin', 'exrunbook.js');
  let dir: string;

  before(function () {
    if (!existsSync(resolve(repoRoot, 'dist', 'cli.js'))) throw new Error('dist/cli.js is missing: run `npm run build` first');
    dir = mkdtempSync(join(tmpdir(), 'exrunbook-hostile-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  function exrunbook(...argv: string[]): Captured {
    const child = spawnSync(process.execPath, [bin, ...argv], { encoding: 'utf8', timeout: 90_000, maxBuffer: 64 * 1024 * 1024 });
    assert.equal(child.signal, null, `the CLI was killed (${String(child.signal)}): it hung or ran out of memory`);
    return { code: child.status ?? -1, stdout: child.stdout, stderr: child.stderr };
  }

  function write(hostile: HostileCase): string {
    const path = join(dir, hostile.name.replace(/[^A-Za-z0-9]+/g, '-') + '.runbook.yaml');
    writeFileSync(path, hostile.bytes());
    return path;
  }

  const byName = (name: string) => {
    const found = hostileCorpus().find((hostile) => hostile.name === name);
    assert.ok(found, name);
    return found;
  };

  it('a 50 MB file: exit 1 with one EXR101 saying it is too large', () => {
    const path = write(byName('generated: 50 MB runbook'));
    const result = exrunbook('lint', '--format', 'json', path);
    assert.equal(result.code, 1, result.stderr);
    const [d, ...rest] = JSON.parse(result.stdout).files[0].diagnostics;
    assert.equal(rest.length, 0);
    assert.equal(d.code, 'EXR101');
    assert.match(d.message, /files over \d+ MB are not checked/);
  });

  it('non-UTF-8 bytes are decoded as U+FFFD and reported on the name they break', () => {
    const path = write(byName('bytes: invalid UTF-8'));
    const result = exrunbook('lint', path);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stdout, /:5:11: error EXR100 `name` must be a NetBIOS computer name.*EXCH\uFFFD/);
  });

  it('a UTF-8 byte-order mark is dropped: the base runbook stays clean', () => {
    const result = exrunbook('lint', write(byName('bytes: UTF-8 BOM')));
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /0 errors/);
  });

  it('a UTF-16 file, random binary, the alias bomb and an empty file: exit 1 with diagnostics, nothing on stderr', () => {
    for (const name of [
      'bytes: UTF-16LE with BOM',
      'bytes: random binary',
      'file: billion-laughs.runbook.yaml',
      'file: empty.runbook.yaml',
    ]) {
      const result = exrunbook('lint', '--format', 'sarif', write(byName(name)));
      assert.equal(result.code, 1, `${name}: ${result.stderr}`);
      assert.equal(result.stderr, '', name);
      const sarif = JSON.parse(result.stdout);
      assert.ok(sarif.runs[0].results.length >= 1, name);
    }
  });

  it('simulate on a trillion-mailbox runbook is refused by the schema; the budget refuses what the schema allows', () => {
    const refused = exrunbook('simulate', write(byName('file: huge-count.runbook.yaml')));
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /errors that stop the simulation/);
    const tiny = exrunbook('simulate', write(byName('file: tiny-sample-interval.runbook.yaml')));
    assert.ok(tiny.code === 0 || tiny.code === 1, tiny.stderr);
    if (tiny.code === 1) assert.match(tiny.stderr, /events|samples/);
  });

  it('a parser warning (a list used as a key) never leaks to stderr', () => {
    const result = exrunbook('lint', write(byName('file: complex-keys.runbook.yaml')));
    assert.equal(result.stderr, '');
    const path = join(dir, 'list-key.runbook.yaml');
    writeFileSync(path, 'runbook: 1\nname: x\nservers: [{ name: A, exchange: 2003 }]\nsteps: []\n? [servers]\n: 1\n');
    const listKey = exrunbook('lint', path);
    assert.equal(listKey.code, 1);
    assert.equal(listKey.stderr, '');
  });
});
