import assert from 'node:assert/strict';
import { codes, covered, lint, yaml } from '../../support';

const VALID_HEAD = ['runbook: 1', 'name: t', 'servers:', '  - name: EXCH01', '    exchange: 2003'];

describe('EXR100: schema problems in plain words on the exact node', () => {
  it('a wrong type names the field, the expected values and what was written', () => {
    const text = yaml(...VALID_HEAD, '    servicePack: two', 'steps: []');
    const { diagnostics } = lint(text);
    assert.deepEqual(codes(diagnostics), ['EXR100']);
    assert.equal(diagnostics[0].message, '`servicePack` must be a number from 0 to 3, not `two` (in server `EXCH01`).');
    assert.equal(covered(text, diagnostics[0]), 'two');
    assert.deepEqual(diagnostics[0].range.start, { line: 5, character: 17 });
  });
  it('an unknown field is reported on its key, once', () => {
    const text = yaml(...VALID_HEAD, '    colour: blue', 'steps: []');
    const { diagnostics } = lint(text);
    assert.deepEqual(codes(diagnostics), ['EXR100']);
    assert.equal(covered(text, diagnostics[0]), 'colour');
    assert.match(diagnostics[0].message, /Unknown field `colour`/);
  });
  it('a field of another action is unknown for this action', () => {
    const text = yaml(...VALID_HEAD, 'steps:', '  - id: r', '    action: reboot', '    server: EXCH01', '    hotfix: KB924567');
    const { diagnostics } = lint(text);
    assert.deepEqual(codes(diagnostics), ['EXR100']);
    assert.match(diagnostics[0].message, /a `reboot` step takes/);
  });
  it('a missing field names the step', () => {
    const text = yaml(
      ...VALID_HEAD,
      'steps:',
      '  - id: m',
      '    action: move-mailboxes',
      '    from: EXCH01',
      '    mailboxes: { count: 1, averageSizeMB: 1 }',
      '    concurrency: 1',
    );
    const { diagnostics } = lint(text);
    assert.deepEqual(codes(diagnostics), ['EXR100']);
    assert.equal(diagnostics[0].message, 'Step `m` is missing `to` (the target server).');
  });
  it('one diagnostic for a mailboxes value of the wrong shape (no cascade from the two alternatives)', () => {
    const text = yaml(
      ...VALID_HEAD,
      '  - { name: EXCH02, exchange: 2003 }',
      'steps:',
      '  - { id: m, action: move-mailboxes, from: EXCH01, to: EXCH02, mailboxes: lots, concurrency: 1 }',
    );
    const { diagnostics } = lint(text);
    assert.deepEqual(codes(diagnostics), ['EXR100']);
    assert.equal(covered(text, diagnostics[0]), 'lots');
  });
  it('an unknown action gives one diagnostic listing the actions', () => {
    const text = yaml(...VALID_HEAD, 'steps:', '  - { id: x, action: teleport }');
    const { diagnostics } = lint(text);
    assert.deepEqual(codes(diagnostics), ['EXR100']);
    assert.match(diagnostics[0].message, /one of move-mailboxes, install-hotfix/);
  });
  it('malformed durations and impossible dates are errors at the exact characters', () => {
    const text = yaml(
      ...VALID_HEAD,
      'steps:',
      '  - { id: w, action: wait, duration: 10 minutes }',
      '  - { id: v, action: wait, duration: 1h, start: "2026-02-30T10:00:00Z" }',
    );
    const { diagnostics } = lint(text);
    assert.deepEqual(codes(diagnostics), ['EXR100', 'EXR100']);
    assert.equal(covered(text, diagnostics[0]), '10 minutes');
    assert.equal(covered(text, diagnostics[1]), '"2026-02-30T10:00:00Z"');
  });
  it('an empty file and a file of only comments say what a runbook needs', () => {
    for (const text of ['', '# just a comment\n# and another\n']) {
      const { diagnostics } = lint(text);
      assert.deepEqual(codes(diagnostics), ['EXR100']);
      assert.match(diagnostics[0].message, /empty/);
    }
  });
});

describe('EXR101: YAML that is not well-formed', () => {
  it('reports the parser error at its position and nothing else', () => {
    const text = yaml('runbook: 1', 'servers: [a, b', 'name: x');
    const { diagnostics, simulatable } = lint(text);
    assert.ok(diagnostics.length >= 1);
    assert.ok(diagnostics.every((d) => d.code === 'EXR101'));
    assert.equal(simulatable, false);
  });
  it('a duplicate key is reported in plain words', () => {
    const { diagnostics } = lint(yaml('runbook: 1', 'runbook: 1', 'name: x'));
    assert.deepEqual(codes(diagnostics), ['EXR101']);
    assert.match(diagnostics[0].message, /appears twice/);
  });
  it('an alias bomb is refused quickly with a diagnostic', () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++)
      lines.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9)
          .fill('*' + String.fromCharCode(96 + i))
          .join(',')}]`,
      );
    const { diagnostics } = lint(yaml(...lines));
    assert.deepEqual(codes(diagnostics), ['EXR101']);
    assert.match(diagnostics[0].message, /alias/);
  });
});

describe('server names compare as Windows compares NetBIOS names', () => {
  const exposedHead = [
    'runbook: 1',
    'name: t',
    'servers:',
    '  - { name: EXCHI01, exchange: 2003, servicePack: 2, mta: { service: disabled } }',
    '  - { name: EXCHS02, exchange: 2003, servicePack: 2 }',
    'steps:',
  ];
  const move = (from: string, to: string) =>
    `  - { id: m, action: move-mailboxes, from: ${from}, to: ${to}, mailboxes: { count: 5, averageSizeMB: 1 }, concurrency: 1 }`;

  it('ASCII letters ignore case: exchi01 is EXCHI01', () => {
    assert.deepEqual(codes(lint(yaml(...exposedHead, move('exchi01', 'exchs02'))).diagnostics), ['EXR001']);
  });

  it('a dotless ı or a long ſ is not an I or an S: the name resolves to no server and EXR100 says why', () => {
    const text = yaml(...exposedHead, move('exchı01', 'exchſ02'));
    const { diagnostics } = lint(text);
    assert.deepEqual(codes(diagnostics), ['EXR010', 'EXR100', 'EXR010', 'EXR100']);
    assert.match(diagnostics[0].message, /names server exchı01, which is not declared under `servers`; did you mean EXCHI01\?/);
    assert.equal(
      diagnostics[1].message,
      '`from` must be a NetBIOS computer name: 1–15 of A–Z, a–z, 0–9 and -, not `exchı01` (in step `m`); `ı` (U+0131) is not one of them.',
    );
    assert.match(diagnostics[3].message, /`to` must be a NetBIOS computer name.*`ſ` \(U\+017F\) is not one of them\.$/);
  });

  it('a pattern failure never says "declared"; an invisible character is named by its code point', () => {
    const text = yaml(...exposedHead, '  - { id: r, action: reboot, server: "EXCH\u200b01" }');
    const exr100 = lint(text).diagnostics.find((d) => d.code === 'EXR100');
    assert.ok(exr100);
    assert.doesNotMatch(exr100.message, /declared/);
    assert.match(exr100.message, /; U\+200B is not one of them\.$/);
  });
});
