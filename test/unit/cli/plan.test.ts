import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { run, type CliIo } from '../../../src/cli/main';
import { lintText } from '../../../src/core/lint';
import { simulate, simulationFindings } from '../../../src/core/simulator';
import { readExample, repoRoot } from '../../support';

const NIGHT = 'window:\n  daily: { from: "22:00", to: "06:00" }\nservers:';
const exposedInWindow = () => readExample('kb924567-exposed.runbook.yaml').replace(/^servers:/m, NIGHT);

/** `exrunbook plan` in process over an in-memory file system that records writes. */
function plan(files: Record<string, string>, ...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const written: Record<string, string> = {};
  const io: CliIo = {
    out: (text) => (stdout += text),
    err: (text) => (stderr += text),
    readFile: (path) => {
      if (!Object.hasOwn(files, path)) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
      return files[path];
    },
    readStdin: () => files['-'],
    cwd: () => '/work',
    writeFile: (path, text) => (written[path] = text),
  };
  return { code: run(['plan', ...argv], io), stdout, stderr, written };
}

describe('exrunbook plan', function () {
  this.timeout(120_000);

  it('prints the ranked plans as a table and the best as a unified diff; exit 0', () => {
    const { code, stdout, stderr } = plan({ 'wave1.runbook.yaml': exposedInWindow() }, 'wave1.runbook.yaml');
    assert.equal(code, 0, stderr);
    assert.match(stdout, /^ +finish +mail +peak threads +worst local delivery queue +steps changed +changes$/m);
    assert.match(stdout, /^as written +2026-12-07 00:32 UTC +queue 22,329 +40 of 40 +22,329 +0 +unsafe: EXR001, EXR005, EXR008$/m);
    assert.match(stdout, /^plan 1 +2026-12-06 \d\d:\d\d UTC +queue 3,067 /m);
    assert.match(
      stdout,
      /^No plan the search simulated keeps mail up; in plan 1 EXCH01's local delivery queue reaches 3,067 \(above 1,000\) at 22:\d\d UTC, \d+ m into kb924567-exch01, while the store restarts \(installing KB924567\)\.$/m,
    );
    assert.match(stdout, /^--- wave1\.runbook\.yaml\n\+\+\+ wave1\.runbook\.yaml \(plan 1\)\n@@ /m);
    assert.match(stdout, /^\+ {4}hotfix: KB924567$/m);
  });

  it('--write applies the best plan, keeping comments, and the result lints clean with a simulation that agrees', () => {
    const text = exposedInWindow();
    const { code, written, stderr } = plan({ 'wave1.runbook.yaml': text }, '--write', 'wave1.runbook.yaml');
    assert.equal(code, 0);
    assert.match(stderr, /wrote plan 1 to wave1\.runbook\.yaml/);
    const after = written['wave1.runbook.yaml'];
    assert.ok(after);
    assert.ok(after.startsWith('# First draft of wave 1 of the Contoso consolidation.\n'), 'comments stay');
    const first = lintText(after);
    const result = simulate(first.runbook, { series: false });
    for (const { summary } of Object.values(result.servers)) assert.equal(summary.exhaustedAt, null);
    const codes = lintText(after, { extraFindings: simulationFindings(first.runbook, result) }).diagnostics.map((d) => d.code);
    assert.deepEqual(codes, []);
  });

  it('--json gives every plan with its numbers, changes and diff', () => {
    const { code, stdout } = plan({ 'wave1.runbook.yaml': exposedInWindow() }, '--json', 'wave1.runbook.yaml');
    assert.equal(code, 0);
    const report = JSON.parse(stdout);
    assert.equal(report.safePlanFound, true);
    assert.equal(report.asWritten.safe, false);
    const [best] = report.plans;
    assert.equal(best.safe, true);
    assert.deepEqual(best.problems, []);
    assert.match(best.finish, /^2026-12-06T/);
    assert.ok(best.changes.length > 0);
    assert.match(best.diff, /^--- wave1\.runbook\.yaml/);
    assert.equal(best.mailStaysUp, false);
    assert.equal(best.strain.mailStaysUp, false);
    assert.equal(best.strain.threshold, 1000);
    assert.equal(best.strain.server, 'EXCH01');
    assert.equal(best.strain.worstLocalDeliveryQueue, best.worstLocalDeliveryQueue);
    assert.match(best.strain.worstQueueAt, /^2026-12-05T22:\d\d:/);
    assert.equal(best.strain.storeDownFor, 'kb924567-exch01');
    assert.match(best.strain.reason, /while the store restarts \(installing KB924567\)$/);
    assert.equal(report.asWritten.mailStaysUp, false);
  });

  it('exit 1 when no plan fits, naming the closest option and why', () => {
    const tight = readExample('kb924567-exposed.runbook.yaml').replace(
      /^servers:/m,
      'window:\n  daily: { from: "22:00", to: "22:30" }\nservers:',
    );
    const { code, stdout } = plan({ 'tight.runbook.yaml': tight }, 'tight.runbook.yaml');
    assert.equal(code, 1);
    assert.match(stdout, /^No safe plan: no candidate the search simulated avoids exhaustion and fits the window\.$/m);
    assert.match(stdout, /^ {2}- EXR008 Step `wave1` is predicted to end at .* after the maintenance window closes/m);
  });

  it('exit 2 on usage and I/O problems; --write refuses standard input', () => {
    assert.equal(plan({}, 'missing.runbook.yaml').code, 2);
    assert.equal(plan({}).code, 2);
    assert.equal(plan({ a: 'x', b: 'y' }, 'a', 'b').code, 2);
    assert.equal(plan({ '-': exposedInWindow() }, '--write', '-').code, 2);
    assert.equal(plan({ a: exposedInWindow() }, '--write', '--json', 'a').code, 2);
    assert.equal(plan({ a: exposedInWindow() }, '--seed', 'x', 'a').code, 2);
  });

  it('runs as a process: bin/exrunbook.js plan --write on a real file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'exrunbook-plan-'));
    const file = join(dir, 'wave1.runbook.yaml');
    writeFileSync(file, exposedInWindow());
    const child = spawnSync(process.execPath, [resolve(repoRoot, 'bin', 'exrunbook.js'), 'plan', '--write', file], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    assert.equal(child.status, 0, child.stderr);
    assert.match(readFileSync(file, 'utf8'), /hotfix: KB924567/);
  });
});

describe('exrunbook lint and simulate with a mailbox list file', function () {
  this.timeout(120_000);

  it('reads the list next to the runbook: 1,000 mailboxes linted and simulated; a bad row is reported at its row', () => {
    const dir = mkdtempSync(join(tmpdir(), 'exrunbook-list-'));
    const rows = ['alias,sizeMB', ...Array.from({ length: 1000 }, (_, i) => `user${i},${50 + ((i * 37) % 900)}`)];
    writeFileSync(join(dir, 'sales.csv'), rows.join('\n') + '\n');
    const runbook = readExample('kb924567-exposed.runbook.yaml').replace(
      'mailboxes: { count: 400, averageSizeMB: 250 }',
      'mailboxes: { file: sales.csv }',
    );
    writeFileSync(join(dir, 'wave1.runbook.yaml'), runbook);
    const cli = (...argv: string[]) =>
      spawnSync(process.execPath, [resolve(repoRoot, 'bin', 'exrunbook.js'), ...argv], { encoding: 'utf8', cwd: dir, timeout: 120_000 });
    const simulated = cli('simulate', '--json', 'wave1.runbook.yaml');
    assert.equal(simulated.status, 0, simulated.stderr);
    assert.equal(JSON.parse(simulated.stdout).servers.EXCH01.summary.flushTasksRegistered, 1000);
    const linted = cli('lint', join(dir, 'wave1.runbook.yaml'));
    assert.match(linted.stdout, /each of the 1,000 mailboxes/);
    rows[42] = 'user41,forty';
    writeFileSync(join(dir, 'sales.csv'), rows.join('\n') + '\n');
    const bad = cli('lint', 'wave1.runbook.yaml');
    assert.equal(bad.status, 1);
    assert.match(
      bad.stdout,
      /^wave1\.runbook\.yaml:30:24: error EXR009 `sales\.csv` row 43, column 2 \(sizeMB\): `forty` is not a size in MB\./m,
    );
  });
});
