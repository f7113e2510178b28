import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { MAX_RUNBOOK_CHARS } from '../../../src/core/format/parse';
import { lintText } from '../../../src/core/lint';
import { BASE_RUNBOOK, hostileCorpus, hostileDir, type HostileCase } from '../../fixtures/hostile/corpus';
import { diagnosticProblems, prototypeChanges, prototypeSnapshot } from '../../fuzz/invariants';
import { lintLikeExtension } from '../../fuzz/paths';
import { covered, examplesDir } from '../../support';

const corpus = hostileCorpus();

function codesOf(diagnostics: { code: string }[]): string[] {
  return [...new Set(diagnostics.map((d) => d.code))].sort();
}

function assertExpectation(hostile: HostileCase, diagnostics: { code: string; message: string }[]): void {
  if (hostile.expect.clean)
    assert.deepEqual(
      diagnostics.map((d) => `${d.code} ${d.message}`),
      [],
      `${hostile.name} should be clean`,
    );
  for (const code of hostile.expect.codes ?? [])
    assert.ok(
      diagnostics.some((d) => d.code === code),
      `${hostile.name} should report ${code}; got ${codesOf(diagnostics).join(', ') || 'nothing'}`,
    );
}

describe('hostile corpus: the core (lintText)', function () {
  this.timeout(120_000);
  for (const hostile of corpus) {
    it(`${hostile.name}: ${hostile.about}`, () => {
      const text = hostile.text();
      const before = prototypeSnapshot();
      const { diagnostics } = lintText(text);
      assert.deepEqual(prototypeChanges(before), [], 'built-in prototypes unchanged');
      assert.deepEqual(diagnosticProblems(text, diagnostics), [], 'every diagnostic well formed and inside the document');
      assertExpectation(hostile, diagnostics);
    });
  }
});

describe('hostile corpus: the extension diagnostics path (analyze + toDiagnostics + background simulation)', function () {
  this.timeout(60_000);
  const settings = {
    severities: { EXR003: 'error', EXR007: 'off', EXR100: 'hint' } as const,
    assumptions: { storeTaskThreads: 8 },
    maxEvents: 2_000_000,
    simulationEnabled: true,
  };
  for (const hostile of corpus.filter((c) => !c.large)) {
    it(hostile.name, () => {
      const text = hostile.text();
      const before = prototypeSnapshot();
      const outcome = lintLikeExtension(text, settings);
      assert.deepEqual(prototypeChanges(before), []);
      for (const diagnostics of outcome.diagnostics) assert.deepEqual(diagnosticProblems(text, diagnostics), []);
      assert.ok(!outcome.diagnostics.flat().some((d) => d.code === 'EXR007'), 'a code set to off is never shown');
    });
  }
});

describe('hostile corpus: specific outcomes', function () {
  this.timeout(60_000);
  const fixture = (name: string) => readFileSync(resolve(hostileDir, name), 'utf8');

  it('a file over the size limit is refused before parsing with one EXR101 that says why', () => {
    const text = 'runbook: 1\n' + '#'.repeat(MAX_RUNBOOK_CHARS) + '\n';
    const { diagnostics, simulatable } = lintText(text);
    assert.deepEqual(codesOf(diagnostics), ['EXR101']);
    assert.equal(diagnostics.length, 1);
    assert.ok(
      diagnostics[0].message.includes(`MB of text; files over ${MAX_RUNBOOK_CHARS / 1048576} MB are not checked`),
      diagnostics[0].message,
    );
    assert.deepEqual(diagnostics[0].range.start, { line: 0, character: 0 });
    assert.equal(simulatable, false);
  });

  it('the billion-laughs file is refused at its first alias, naming the alias bomb', () => {
    const text = fixture('billion-laughs.runbook.yaml');
    const [d, ...rest] = lintText(text).diagnostics;
    assert.equal(rest.length, 0);
    assert.equal(d.code, 'EXR101');
    assert.match(d.message, /alias bomb/);
    assert.equal(covered(text, d), '*a');
  });

  it('aliases used sensibly are read through (not mistaken for a bomb)', () => {
    const { diagnostics, simulatable } = lintText(fixture('aliases-used-well.runbook.yaml'));
    assert.deepEqual(diagnostics, []);
    assert.equal(simulatable, true);
  });

  it('__proto__ and constructor keys are reported as unknown fields and never reach the model', () => {
    const text = fixture('proto-keys.runbook.yaml');
    const { diagnostics, runbook } = lintText(text);
    const unknown = diagnostics
      .filter((d) => /^Unknown field `(__proto__|constructor|toString|valueOf|hasOwnProperty|prototype|__defineGetter__)`/.test(d.message))
      .map((d) => covered(text, d));
    assert.ok(unknown.filter((key) => key === '__proto__').length >= 5, `__proto__ reported at every level: ${unknown.join(', ')}`);
    assert.ok(unknown.includes('constructor'));
    assert.deepEqual(runbook.servers[0].hotfixes, [], 'a hotfix list under __proto__ is not inherited');
    assert.equal(runbook.servers[0].mtaService, undefined, 'an MTA state under __proto__ is not inherited');
    assert.equal(runbook.simulation.seed, undefined);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('numbers past a double (1e309), NaN and -0 get plain-words EXR100s, one per value', () => {
    const text = fixture('extreme-numbers.runbook.yaml');
    const { diagnostics } = lintText(text);
    const byValue = new Map<string, string[]>();
    for (const d of diagnostics) byValue.set(covered(text, d), [...(byValue.get(covered(text, d)) ?? []), d.message]);
    assert.match(byValue.get('.nan')!.join(' | '), /not `\.nan` \(not a number\)/);
    assert.equal(byValue.get('.nan')!.length, 1, 'NaN fails minimum and maximum but is reported once');
    assert.ok(diagnostics.some((d) => covered(text, d) === '1e309' && /`\.inf` \(too large\)/.test(d.message)));
    assert.ok(diagnostics.some((d) => covered(text, d) === '-0' && /concurrency/.test(d.message)));
    assert.ok(diagnostics.every((d) => d.code === 'EXR100'));
  });

  it('negative, zero-length and malformed durations are errors at the exact value; zero waits are allowed', () => {
    const text = fixture('durations.runbook.yaml');
    const flagged = lintText(text).diagnostics.map((d) => covered(text, d));
    for (const value of ['0m', '-1h', 'PT', 'P', '1e309h', '""', '5'])
      assert.ok(flagged.includes(value), `${value} is flagged: ${flagged.join(', ')}`);
    for (const value of ['0s', 'PT0S', '1ms']) assert.ok(!flagged.includes(value), `${value} is a legal duration`);
  });

  it('impossible dates are errors; years 0000–0099 are read as written, not as 1900–1999', () => {
    const text = fixture('dates-out-of-range.runbook.yaml');
    const { diagnostics } = lintText(text);
    const flagged = diagnostics.map((d) => covered(text, d));
    for (const value of [
      '2026-02-30T00:00:00Z',
      '2026-13-01T00:00:00Z',
      '2026-12-05T24:00:00Z',
      '2026-12-05T22:00:00+99:00',
      '2026-12-05T22:00:00',
      '+275760-09-13T00:00:00Z',
      '2026-12-05',
    ]) {
      assert.equal(flagged.filter((v) => v === value).length, 1, `${value} is flagged exactly once`);
    }
    const far = lintText(fixture('far-apart-starts.runbook.yaml'));
    assert.deepEqual(far.diagnostics, []);
    const [early, late] = far.runbook.steps;
    assert.equal(new Date(early.start!.value).toISOString(), '0001-01-01T00:00:00.000Z');
    assert.equal(new Date(late.start!.value).toISOString(), '9999-12-31T00:00:00.000Z');
  });

  it('a byte-order mark changes nothing; CRLF and lone-CR files report at the same lines and columns as LF', () => {
    assert.deepEqual(lintText('\uFEFF' + BASE_RUNBOOK).diagnostics, []);
    for (const file of readdirSync(examplesDir).filter((name) => name.endsWith('.runbook.yaml'))) {
      const lf = readFileSync(resolve(examplesDir, file), 'utf8').replace(/\r\n/g, '\n');
      const where = (text: string) => lintText(text).diagnostics.map((d) => `${d.code} ${JSON.stringify(d.range)}`);
      assert.deepEqual(where(lf.replace(/\n/g, '\r\n')), where(lf), `${file} with CRLF`);
      const broken = lf.replace('runbook: 1', 'runbook: 2').replace(/action: /, 'action: nope-');
      assert.deepEqual(where(broken.replace(/\n/g, '\r\n')), where(broken), `${file} with CRLF and errors`);
    }
  });

  it('an empty, blank or comment-only file gets one "file is empty" EXR100, not a crash', () => {
    for (const text of ['', '   \n\t\n', '# just a comment\n', '\uFEFF', '---\n', '...\n']) {
      const { diagnostics } = lintText(text);
      assert.ok(
        diagnostics.some((d) => d.code === 'EXR100' && /empty/.test(d.message)),
        `${JSON.stringify(text)}: ${diagnostics.map((d) => d.message).join(' | ')}`,
      );
    }
  });

  it('a second YAML document is EXR101 at the separator', () => {
    const text = fixture('multi-document.runbook.yaml');
    const [d] = lintText(text).diagnostics;
    assert.equal(d.code, 'EXR101');
    assert.match(d.message, /more than one YAML document/);
    assert.equal(d.range.start.line, 6);
  });

  it('nesting too deep to read is EXR101 in plain words, not a stack trace', () => {
    const { diagnostics } = lintText('runbook: 1\nname: x\nservers: ' + '['.repeat(20_000) + ']'.repeat(20_000) + '\n');
    assert.ok(diagnostics.length >= 1 && diagnostics.every((d) => d.code === 'EXR101'));
    assert.match(diagnostics[0].message, /nested here far more deeply than a runbook ever needs/);
    assert.ok(!diagnostics.some((d) => /call stack/i.test(d.message)));
  });

  it('130,000 identical steps (5 MB): one EXR011 per repeat, no stack overflow from spreading 100,000+ findings', function () {
    this.timeout(180_000);
    const text =
      'runbook: 1\nname: x\nservers: [{ name: A, exchange: 2003 }]\nsteps:\n' + '- { id: a, action: reboot, server: A }\n'.repeat(130_000);
    const { diagnostics } = lintText(text);
    assert.equal(diagnostics.filter((d) => d.code === 'EXR011').length, 129_999);
  });

  it('60,000 empty steps: 120,000 schema errors are collected without quadratic copying', function () {
    this.timeout(180_000);
    const text = 'runbook: 1\nname: x\nservers: [{ name: A, exchange: 2003 }]\nsteps:\n' + '- {}\n'.repeat(60_000);
    const { diagnostics } = lintText(text);
    assert.equal(diagnostics.length, 120_000);
    assert.deepEqual(diagnosticProblems(text, diagnostics.slice(-10)), []);
  });

  it('a zero-width parser error before a CRLF is widened onto the line, never between CR and LF', () => {
    const text = 'runbook: 1\r\nname: x\r\nservers: [\r\n';
    const { diagnostics } = lintText(text);
    assert.ok(diagnostics.length > 0);
    assert.deepEqual(diagnosticProblems(text, diagnostics), []);
    for (const d of diagnostics)
      assert.ok(!/^\n/.test(text.slice(d.span.end)) || text[d.span.end - 1] !== '\r', `span ${d.span.start}-${d.span.end} splits a CRLF`);
  });
});
