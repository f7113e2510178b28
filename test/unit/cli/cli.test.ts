import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { run, type CliIo } from '../../../src/cli/main';
import { spreadRunbook } from '../../../bench/runbookGenerator';
import { examplesDir, repoRoot } from '../../support';

interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with real files and captured output. */
function cli(...argv: string[]): Captured {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    out: (text) => (stdout += text),
    err: (text) => (stderr += text),
    readFile: (path) => readFileSync(path, 'utf8'),
    readStdin: () => {
      throw new Error('no standard input in this test');
    },
    cwd: () => process.cwd(),
  };
  return { code: run(argv, io), stdout, stderr };
}

const exposed = resolve(examplesDir, 'kb924567-exposed.runbook.yaml');
const fixed = resolve(examplesDir, 'kb924567-fixed.runbook.yaml');
const bin = resolve(repoRoot, 'bin', 'exrunbook.js');

function binary(...argv: string[]): Captured {
  const child = spawnSync(process.execPath, [bin, ...argv], { encoding: 'utf8', timeout: 60_000 });
  return { code: child.status ?? -1, stdout: child.stdout, stderr: child.stderr };
}

describe('exrunbook lint', () => {
  it('exit 0 and a clean summary for a runbook without errors', () => {
    const result = cli('lint', fixed);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /1 file checked: 0 errors, 0 warnings/);
  });

  it('exit 1 with `file:line:col: severity CODE message` lines when there is an error', () => {
    const result = cli('lint', exposed, fixed);
    assert.equal(result.code, 1);
    const first = result.stdout.split('\n')[0];
    assert.ok(first.startsWith(`${exposed}:28:11: error EXR001 Step \`wave1\` moves mailboxes off EXCH01`), first);
  });

  it('--format json follows the format doc, 0-based', () => {
    const result = cli('lint', '--format', 'json', exposed);
    assert.equal(result.code, 1);
    const json = JSON.parse(result.stdout);
    assert.equal(json.files[0].file, exposed);
    const codes = json.files[0].diagnostics.map((d: { code: string }) => d.code);
    assert.ok(codes.includes('EXR001'));
    const exr001 = json.files[0].diagnostics.find((d: { code: string }) => d.code === 'EXR001');
    assert.deepEqual(Object.keys(exr001).sort(), ['code', 'message', 'range', 'severity']);
    assert.deepEqual(exr001.range, { start: { line: 27, character: 10 }, end: { line: 27, character: 16 } });
  });

  it('--format sarif is SARIF 2.1.0 with rules, help and 1-based regions', () => {
    const result = cli('lint', '--format=sarif', exposed);
    assert.equal(result.code, 1);
    const sarif = JSON.parse(result.stdout);
    assert.equal(sarif.version, '2.1.0');
    const run0 = sarif.runs[0];
    const rules = run0.tool.driver.rules;
    assert.ok(rules.length >= 12);
    for (const rule of rules) {
      assert.match(rule.id, /^EXR\d{3}$/);
      assert.ok(rule.shortDescription.text.length > 0 && rule.help.text.length > 0);
    }
    const exr001 = run0.results.find((r: { ruleId: string }) => r.ruleId === 'EXR001');
    assert.equal(exr001.level, 'error');
    assert.equal(rules[exr001.ruleIndex].id, 'EXR001');
    assert.deepEqual(exr001.locations[0].physicalLocation.region, { startLine: 28, startColumn: 11, endLine: 28, endColumn: 17 });
  });

  it('includes EXR005 from the simulation unless --no-simulate', () => {
    const withSimulation = cli('lint', '--format', 'json', exposed);
    const simulated = JSON.parse(withSimulation.stdout).files[0].diagnostics.map((d: { code: string }) => d.code);
    assert.ok(simulated.includes('EXR005'), simulated.join());
    const without = JSON.parse(cli('lint', '--format', 'json', '--no-simulate', exposed).stdout).files[0].diagnostics.map(
      (d: { code: string }) => d.code,
    );
    assert.deepEqual(without, ['EXR001']);
  });

  it('exit 2 with one line on stderr for a missing file, a bad option or no file', () => {
    for (const argv of [['lint', '/no/such/file.runbook.yaml'], ['lint', '--format', 'xml', fixed], ['lint'], ['frobnicate']]) {
      const result = binary(...argv);
      assert.equal(result.code, 2, argv.join(' '));
      assert.match(result.stderr, /^exrunbook: /);
      assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
      assert.equal(result.stdout, '');
    }
    const missing = binary('lint', '/no/such/file.runbook.yaml');
    assert.equal(missing.stderr, 'exrunbook: cannot read /no/such/file.runbook.yaml: no such file\n');
  });

  it('the built binary lints a directory argument as an I/O problem and malformed YAML as exit 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'exrunbook-'));
    assert.equal(binary('lint', dir).code, 2);
    const broken = join(dir, 'broken.runbook.yaml');
    writeFileSync(broken, 'runbook: 1\nservers: [a,\n');
    const result = binary('lint', broken);
    assert.equal(result.code, 1);
    assert.match(result.stdout, /error EXR101/);
  });
});

describe('exrunbook simulate', () => {
  it('prints a per-server summary and exits 0 even when exhaustion is predicted', () => {
    const result = cli('simulate', exposed);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /EXCH01/);
  });
  it('--json prints the full result', () => {
    const result = JSON.parse(cli('simulate', '--json', exposed).stdout);
    assert.ok(result.servers.EXCH01.summary.exhaustedAt !== null);
    assert.equal(result.seed, 1);
    assert.ok(result.events > 0);
  });
  it('--what-if hotfix runs the plain and the hotfixed run', () => {
    const result = JSON.parse(cli('simulate', '--json', '--what-if', 'hotfix', exposed).stdout);
    assert.notEqual(result.plain.servers.EXCH01.summary.exhaustedAt, null);
    assert.equal(result.whatIf.hotfix.servers.EXCH01.summary.exhaustedAt, null);
    assert.equal(result.whatIf.hotfix.servers.EXCH01.summary.flushTasksRegistered, 0);
  });
  it('exit 1 when the runbook is too broken to simulate, 2 on usage errors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'exrunbook-'));
    const broken = join(dir, 'broken.runbook.yaml');
    writeFileSync(broken, 'runbook: 1\nname: x\nservers: []\nsteps: [{ id: a, action: reboot, server: NOPE }]\n');
    const result = binary('simulate', broken);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /errors that stop the simulation/);
    assert.equal(binary('simulate', '--what-if', 'magic', fixed).code, 2);
    assert.equal(binary('simulate', fixed, exposed).code, 2);
  });
});

describe('exrunbook on runbooks long in time (issue 16: these exhausted the heap)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'exrunbook-'));
  const longSpan = join(dir, 'eighty-servers.runbook.yaml');
  writeFileSync(longSpan, spreadRunbook({ servers: 80, monthsApart: 11 }));
  const explicit = join(dir, 'too-fine.runbook.yaml');
  writeFileSync(
    explicit,
    // Light load on every server, so all 80 are modelled (idle servers take no share of the series).
    spreadRunbook({ servers: 80, monthsApart: 0, deliveryPerMinute: 0.01 }).replace(
      'steps:\n',
      'simulation:\n  sampleInterval: 1m\n  duration: 30d\nsteps:\n',
    ),
  );

  it('lint: 80 servers, two moves 11 months apart, checks clean', () => {
    const result = binary('lint', longSpan);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, '1 file checked: 0 errors, 0 warnings, 0 information\n');
  });

  it('simulate: says which quiet stretch it skipped; --json serialises the result', () => {
    const text = cli('simulate', longSpan);
    assert.equal(text.code, 0, text.stderr);
    assert.match(
      text.stdout,
      /^ {2}skipped 333 d 2\d h of quiet \(no step running, no flush held\): 2026-01-05 23:\d\d UTC → 2026-12-05 21:00 UTC$/m,
    );
    const json = JSON.parse(cli('simulate', '--json', longSpan).stdout);
    assert.equal(json.skipped.length, 1);
    assert.equal(json.sampleInterval, 1);
  });

  it('simulate: a sample interval that does not fit is refused with one line (exit 1)', () => {
    const result = cli('simulate', explicit);
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.equal(
      result.stderr,
      `exrunbook: ${explicit}: this run would need ~3,456,080 samples (80 servers × 43,201 samples, one every 1m); the limit is ` +
        '500,000; raise simulation.sampleInterval to 10m or more, or shorten the run (simulation.duration)\n',
    );
  });
});
