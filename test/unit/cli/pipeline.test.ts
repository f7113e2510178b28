/**
 * The CLI as a pipeline step (issue 16): bounded reads from any path and from standard input,
 * strict options, partial failures, a closed stdout, and `node dist/cli.js` run directly.
 * Everything here runs the built program as a child process.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { MAX_INPUT_BYTES } from '../../../src/cli/read';
import { examplesDir, repoRoot } from '../../support';
import { cliWith } from './memoryIo';

interface Captured {
  code: number | null;
  stdout: string;
  stderr: string;
}

const bin = resolve(repoRoot, 'bin', 'exrunbook.js');
const bundle = resolve(repoRoot, 'dist', 'cli.js');
const exposed = resolve(examplesDir, 'kb924567-exposed.runbook.yaml');
const fixed = resolve(examplesDir, 'kb924567-fixed.runbook.yaml');

function runNode(args: string[], options: SpawnSyncOptions = {}): Captured {
  const child = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024, ...options });
  assert.equal(child.signal, null, `killed by ${String(child.signal)}: it hung or read without limit`);
  return { code: child.status, stdout: String(child.stdout), stderr: String(child.stderr) };
}

const exrunbook = (argv: string[], options: SpawnSyncOptions = {}) => runNode([bin, ...argv], options);

/** stderr as its lines (without the final newline). */
const stderrLines = (result: Captured) => result.stderr.replace(/\n$/, '').split('\n');

describe('CLI: bounded reads from any path', function () {
  this.timeout(120_000);
  let dir: string;
  before(() => {
    if (!existsSync(bundle)) throw new Error('dist/cli.js is missing: run `npm run build` first');
    dir = mkdtempSync(join(tmpdir(), 'exrunbook-pipeline-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('/dev/zero (stat says 0 bytes) stops after the limit: exit 2 and one line', function () {
    if (!existsSync('/dev/zero')) this.skip();
    const result = exrunbook(['lint', '/dev/zero']);
    assert.equal(result.code, 2);
    assert.deepEqual(stderrLines(result), ['exrunbook: /dev/zero holds more than 64 MB; runbooks over 64 MB are not read']);
    assert.equal(result.stdout, '');
  });

  it('a FIFO fed without end stops after the limit', function () {
    const fifo = join(dir, 'endless.fifo');
    if (spawnSync('mkfifo', [fifo]).status !== 0) this.skip();
    // The writer opens the FIFO and writes zeros until the reader goes away.
    const writer = spawn(process.execPath, [
      '-e',
      `const fs=require('fs');const fd=fs.openSync(${JSON.stringify(fifo)},'w');const b=Buffer.alloc(65536);` +
        `try{for(;;)fs.writeSync(fd,b)}catch{}`,
    ]);
    try {
      const result = exrunbook(['lint', fifo]);
      assert.equal(result.code, 2);
      assert.deepEqual(stderrLines(result), [`exrunbook: ${fifo} holds more than 64 MB; runbooks over 64 MB are not read`]);
    } finally {
      writer.kill();
    }
  });

  it('standard input over the limit: exit 2 and one line naming --stdin-filename', () => {
    const input = Buffer.alloc(MAX_INPUT_BYTES + 1, 0x20);
    const result = exrunbook(['lint', '--stdin-filename', 'big.runbook.yaml', '-'], { input });
    assert.equal(result.code, 2);
    assert.deepEqual(stderrLines(result), ['exrunbook: big.runbook.yaml holds more than 64 MB; runbooks over 64 MB are not read']);
  });

  it('a regular file over the limit is refused from its size, before reading', () => {
    const big = join(dir, 'big.runbook.yaml');
    writeFileSync(big, Buffer.alloc(MAX_INPUT_BYTES + 1024 * 1024, 0x20));
    const result = exrunbook(['lint', big]);
    assert.equal(result.code, 2);
    assert.deepEqual(stderrLines(result), [`exrunbook: ${big} is 65 MB; runbooks over 64 MB are not read`]);
  });
});

describe('CLI: standard input as `-`', function () {
  this.timeout(60_000);

  it('`cat x.runbook.yaml | exrunbook lint -` lints it, named <stdin> or --stdin-filename', () => {
    const input = readFileSync(exposed);
    const plain = exrunbook(['lint', '-'], { input });
    assert.equal(plain.code, 1, plain.stderr);
    assert.match(plain.stdout, /^<stdin>:28:11: error EXR001 /m);
    const named = exrunbook(['lint', '--no-simulate', '--stdin-filename', 'wave1.runbook.yaml', '-'], { input });
    assert.equal(named.code, 1, named.stderr);
    assert.match(named.stdout, /^wave1\.runbook\.yaml:28:11: error EXR001 /m);
    assert.equal(named.stderr, '');
  });

  it('a clean runbook on standard input exits 0; simulate - reads it too', () => {
    const input = readFileSync(fixed);
    assert.equal(exrunbook(['lint', '-'], { input }).code, 0);
    const simulated = exrunbook(['simulate', '--json', '-'], { input });
    assert.equal(simulated.code, 0, simulated.stderr);
    assert.ok(JSON.parse(simulated.stdout).events > 0);
  });

  it('`-` twice and --stdin-filename without `-` are usage errors', () => {
    assert.equal(exrunbook(['lint', '-', '-'], { input: '' }).code, 2);
    const orphan = exrunbook(['lint', '--stdin-filename', 'x.yaml', fixed]);
    assert.equal(orphan.code, 2);
    assert.match(orphan.stderr, /--stdin-filename names standard input/);
  });
});

describe('CLI: options and partial failures', function () {
  this.timeout(60_000);

  it('an unknown short or long option is a usage error, not a file name', () => {
    for (const argv of [
      ['lint', '-x', fixed],
      ['lint', '--frobnicate', fixed],
      ['simulate', '-q', fixed],
    ]) {
      const result = exrunbook(argv);
      assert.equal(result.code, 2, argv.join(' '));
      assert.match(result.stderr, new RegExp(`^exrunbook: unknown option ${argv[1]} for \`${argv[0]}\``));
      assert.doesNotMatch(result.stderr, /cannot read/);
    }
    // A file whose name starts with `-` is still reachable after `--`.
    const afterDashes = exrunbook(['lint', '--', '-x']);
    assert.equal(afterDashes.code, 2);
    assert.match(afterDashes.stderr, /^exrunbook: cannot read -x: no such file$/m);
  });

  it('only lint and simulate are commands, not names Object.prototype holds', () => {
    for (const command of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      const result = cliWith({ 'a.runbook.yaml': '' }, [command, 'a.runbook.yaml']);
      assert.equal(result.code, 2, command);
      assert.match(result.stderr, new RegExp(`^exrunbook: unknown command \`${command}\``));
    }
  });

  it('--seed takes decimal digits only, up to 2^32-1', () => {
    for (const seed of [' ', '', '0x10', '1e3', '-1', '1.5', '+3', '4294967296', ' 7']) {
      const result = exrunbook(['simulate', '--seed', seed, fixed]);
      assert.equal(result.code, 2, `--seed ${JSON.stringify(seed)}`);
      assert.match(result.stderr, /--seed must be a whole number/);
    }
    const ok = exrunbook(['simulate', '--json', '--seed=4294967295', fixed]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(JSON.parse(ok.stdout).seed, 4294967295);
  });

  it('a flag given a value is a usage error', () => {
    const result = exrunbook(['lint', '--no-simulate=yes', fixed]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--no-simulate takes no value/);
  });

  it('missing files among good ones: the good ones are linted, one line per missing file, exit 2', () => {
    const result = exrunbook(['lint', '--format', 'json', '/no/such/a.runbook.yaml', exposed, '/no/such/b.runbook.yaml', fixed]);
    assert.equal(result.code, 2);
    assert.deepEqual(stderrLines(result), [
      'exrunbook: cannot read /no/such/a.runbook.yaml: no such file',
      'exrunbook: cannot read /no/such/b.runbook.yaml: no such file',
    ]);
    const report = JSON.parse(result.stdout);
    assert.deepEqual(
      report.files.map((file: { file: string }) => file.file),
      [exposed, fixed],
    );
    assert.ok(report.files[0].diagnostics.some((d: { code: string }) => d.code === 'EXR001'));
  });
});

describe('CLI: pipelines and entry points', function () {
  this.timeout(60_000);

  it('output into a closed pipe ends quietly with the command’s exit code (simulate 0, lint 1)', async () => {
    for (const [argv, expected] of [
      [['simulate', '--json', exposed], 0],
      [['lint', '--no-simulate', '--format', 'sarif', ...Array(40).fill(exposed)], 1],
    ] as const) {
      const child = spawn(process.execPath, [bin, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk) => (stderr += chunk));
      // Read 10 bytes, then close our end, as `| head -c 10` does.
      await new Promise<void>((done) => child.stdout.once('data', () => (child.stdout.destroy(), done())));
      const code = await new Promise<number | null>((done) => child.on('close', (exitCode) => done(exitCode)));
      assert.equal(stderr, '', `${argv[0]}: nothing on stderr`);
      assert.equal(code, expected, argv[0]);
    }
  });

  it('`node dist/cli.js lint FILE` runs the CLI (a CI step calling it cannot pass silently)', () => {
    const failing = runNode([bundle, 'lint', exposed]);
    assert.equal(failing.code, 1);
    assert.match(failing.stdout, /error EXR001/);
    assert.equal(runNode([bundle, 'lint', fixed]).code, 0);
    assert.equal(
      runNode([bundle, '--version']).stdout.trim(),
      `exrunbook ${JSON.parse(readFileSync(resolve(repoRoot, 'package.json'), 'utf8')).version}`,
    );
  });

  it('bin/exrunbook.js and dist/cli.js give the same output and exit code', () => {
    const viaBin = exrunbook(['lint', '--format', 'json', exposed]);
    const viaBundle = runNode([bundle, 'lint', '--format', 'json', exposed]);
    assert.equal(viaBin.code, viaBundle.code);
    assert.equal(viaBin.stdout, viaBundle.stdout);
  });
});
