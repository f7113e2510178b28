/**
 * SARIF output as code scanning reads it: valid against the OASIS SARIF 2.1.0 schema (vendored in
 * test/fixtures/sarif/ with its licence), URIs relative to %SRCROOT% or absolute `file:` URIs,
 * percent-encoded names, and partial fingerprints that survive lines moving.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { run, type CliIo } from '../../../src/cli/main';
import { readExample, repoRoot } from '../../support';
import { cliWith } from './memoryIo';

interface SarifResult {
  ruleId: string;
  locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: { startLine: number } } }[];
  partialFingerprints: Record<string, string>;
}

const schema = JSON.parse(readFileSync(resolve(repoRoot, 'test', 'fixtures', 'sarif', 'sarif-schema-2.1.0.json'), 'utf8'));
const ajv = new Ajv04({ allErrors: true, strict: false });
addFormats(ajv);
const validateSarif = ajv.compile(schema);

/** `lint --format sarif --no-simulate` in memory, in /work/project. */
function sarifFor(files: Record<string, string>, ...argv: string[]): { code: number; sarif: unknown; stderr: string } {
  const { code, stdout, stderr } = cliWith(files, ['lint', '--format', 'sarif', '--no-simulate', ...argv]);
  return { code, sarif: stdout ? JSON.parse(stdout) : undefined, stderr };
}

const results = (sarif: unknown) => (sarif as { runs: { results: SarifResult[] }[] }).runs[0].results;
const locationOf = (result: SarifResult) => result.locations[0].physicalLocation.artifactLocation;

function assertValid(sarif: unknown): void {
  const valid = validateSarif(sarif);
  assert.ok(valid, JSON.stringify(validateSarif.errors?.slice(0, 5), null, 2));
}

describe('SARIF output', () => {
  const exposed = readExample('kb924567-exposed.runbook.yaml');
  const broken = 'runbook: 1\nservers: [a,\n';

  it('the vendored schema rejects what it should (the check can fail)', () => {
    assert.equal(validateSarif({ version: '2.1.0', runs: [{ tool: { driver: {} } }] }), false);
    assert.equal(validateSarif({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ message: {} }] }] }), false);
    const badUri = {
      version: '2.1.0',
      runs: [
        {
          tool: { driver: { name: 'x' } },
          results: [{ message: { text: 'm' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'a b\\c' } } }] }],
        },
      ],
    };
    assert.equal(validateSarif(badUri), false, 'a space and a backslash are not allowed in a URI reference');
  });

  it('is valid SARIF 2.1.0 for every example, a broken file and paths of every kind', () => {
    const files: Record<string, string> = {
      'a.runbook.yaml': exposed,
      'sub dir/b\\c.runbook.yaml': exposed,
      '../outside.runbook.yaml': broken,
      '/elsewhere/x.runbook.yaml': exposed,
      './ü#1%.runbook.yaml': exposed,
    };
    for (const name of ['kb924567-fixed.runbook.yaml', 'multi-wave.runbook.yaml']) files[`examples/${name}`] = readExample(name);
    const { code, sarif } = sarifFor(files, ...Object.keys(files));
    assert.equal(code, 1);
    assertValid(sarif);
  });

  it('paths under %SRCROOT% are relative URIs; others absolute file: URIs; a backslash is part of a name', () => {
    const files = {
      'a.runbook.yaml': broken,
      'sub dir/b\\c.runbook.yaml': broken,
      '../outside.runbook.yaml': broken,
      '/elsewhere/x.runbook.yaml': broken,
      '/work/project/abs.runbook.yaml': broken,
    };
    const { sarif } = sarifFor(files, ...Object.keys(files));
    const locations = results(sarif).map(locationOf);
    assert.deepEqual(locations, [
      { uri: 'a.runbook.yaml', uriBaseId: '%SRCROOT%' },
      { uri: 'sub%20dir/b%5Cc.runbook.yaml', uriBaseId: '%SRCROOT%' },
      { uri: 'file:///work/outside.runbook.yaml' },
      { uri: 'file:///elsewhere/x.runbook.yaml' },
      { uri: 'abs.runbook.yaml', uriBaseId: '%SRCROOT%' },
    ]);
    const run0 = (sarif as { runs: { originalUriBaseIds: Record<string, { uri: string }> }[] }).runs[0];
    assert.deepEqual(run0.originalUriBaseIds, { '%SRCROOT%': { uri: 'file:///work/project/' } });
  });

  it('--sarif-root moves %SRCROOT%; it needs --format sarif', () => {
    const files = { 'a.runbook.yaml': broken, '../outside.runbook.yaml': broken };
    const { sarif } = sarifFor(files, '--sarif-root', '..', ...Object.keys(files));
    assert.deepEqual(results(sarif).map(locationOf), [
      { uri: 'project/a.runbook.yaml', uriBaseId: '%SRCROOT%' },
      { uri: 'outside.runbook.yaml', uriBaseId: '%SRCROOT%' },
    ]);
    assertValid(sarif);
    let stderr = '';
    const io: CliIo = { out: () => {}, err: (t) => (stderr += t), readFile: () => broken, readStdin: () => '', cwd: () => '/' };
    assert.equal(run(['lint', '--sarif-root', '/', 'a.runbook.yaml'], io), 2);
    assert.match(stderr, /--sarif-root applies to --format sarif only/);
  });

  it('partial fingerprints stay the same when lines are added above and differ between findings', () => {
    const before = results(sarifFor({ 'w.runbook.yaml': exposed }, 'w.runbook.yaml').sarif);
    const shifted = exposed.replace(/^steps:/m, '# a comment\n# and another\nsteps:');
    const after = results(sarifFor({ 'w.runbook.yaml': shifted }, 'w.runbook.yaml').sarif);
    assert.ok(before.length >= 1);
    assert.equal(after.length, before.length);
    assert.notDeepEqual(
      after.map((r) => r.locations[0].physicalLocation.region.startLine),
      before.map((r) => r.locations[0].physicalLocation.region.startLine),
      'the findings moved',
    );
    assert.deepEqual(
      after.map((r) => r.partialFingerprints),
      before.map((r) => r.partialFingerprints),
    );
    // Two steps naming the same undeclared server in the same way still get distinct fingerprints.
    const twice = [
      'runbook: 1',
      'name: t',
      'servers: [{ name: EXCH01, exchange: 2003 }]',
      'steps:',
      '  - { id: a, action: reboot, server: NOPE }',
      '  - { id: b, action: reboot, server: NOPE }',
      '  - { action: reboot, server: NOPE }',
      '  - { action: reboot, server: NOPE }',
      '',
    ].join('\n');
    const prints = results(sarifFor({ 't.runbook.yaml': twice }, 't.runbook.yaml').sarif).map(
      (r) => r.partialFingerprints['exrunbookFinding/v1'],
    );
    assert.ok(prints.length >= 4);
    assert.equal(new Set(prints).size, prints.length, prints.join());
  });
});
