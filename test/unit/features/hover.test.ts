import assert from 'node:assert/strict';
import { hover } from '../../../src/core/features';
import { lint, readExample, yaml } from '../../support';

/** Hover at the `nth` occurrence of `needle`, `into` characters in. */
function hoverAt(text: string, needle: string, into = 1, nth = 1) {
  let offset = -1;
  for (let i = 0; i < nth; i++) offset = text.indexOf(needle, offset + 1);
  assert.ok(offset >= 0, `fixture contains ${needle}`);
  const { analysis, diagnostics } = lint(text);
  return hover(analysis, offset + into, { diagnostics, ruleDocLink: (code) => `https://docs.invalid/${code}` });
}

describe('hover', () => {
  const multiWave = readExample('multi-wave.runbook.yaml');

  it('on a diagnostic: the state card first, then the rule in one line with a link to its page (issue 17)', () => {
    const result = hoverAt(multiWave, 'from: EXCH03', 7, 1)!;
    assert.match(result.contents, /^\*\*EXCH03 at step wave2a\*\*/);
    const rule = result.contents.split('\n\n---\n\n')[1];
    assert.equal(
      rule,
      '**EXR001**: Mailbox move from an Exchange 2003 SP2 server with a disabled MTA and no KB924567. ' +
        '[Rule page](https://docs.invalid/EXR001)',
    );
  });

  it('on a rule code in a comment: the rule explanation, the facts it rests on with their source, and the rule page', () => {
    const text = multiWave.replace('  - id: wave2a', '  # exrunbook-disable-next-line EXR001\n  - id: wave2a');
    const result = hoverAt(text, 'EXR001', 3)!;
    assert.match(result.contents, /^\*\*EXR001\*\*: Mailbox move from an Exchange 2003 SP2 server with a disabled MTA and no KB924567/);
    assert.match(
      result.contents,
      /- F4: With the MTA disabled the flush takes 150 minutes to time out\. _\(Microsoft KB924567 \(revision 5\)\)_/,
    );
    assert.match(result.contents, /- F9: .*KB810489/);
    assert.match(result.contents, /\[Rule documentation\]\(https:\/\/docs\.invalid\/EXR001\)/);
    assert.equal(text.slice(result.span.start, result.span.end), 'EXR001');
  });

  it('says why the MTA counts as disabled: never as if Gateway Out Threads 1 meant it (issue 17)', () => {
    const exposed = readExample('kb924567-exposed.runbook.yaml').replace('gatewayOutThreads: 0', 'gatewayOutThreads: 1');
    const result = hoverAt(exposed, 'from: EXCH01', 7)!;
    assert.match(
      result.contents,
      /- MTA service: disabled\n- Gateway Out Threads: 1\n- The MTA counts as disabled: its service is disabled\n/,
    );
  });

  it('on a step id: when it starts and ends, and how long it takes (issue 17)', () => {
    const exposed = readExample('kb924567-exposed.runbook.yaml');
    const result = hoverAt(exposed, 'id: wave1', 5)!;
    assert.match(
      result.contents,
      /^\*\*Step wave1\*\*\n\n- Starts: 2026-12-05 22:00 UTC \(\+0 ?m\)\n- Ends: .* UTC \(\+.*\)\n- Takes: \d+ h/,
    );
  });

  it('on a server in a step: its state at that step, and that moves off it are exposed', () => {
    const wave2a = hoverAt(multiWave, 'from: EXCH03', 7, 1)!;
    assert.match(wave2a.contents, /\*\*EXCH03 at step wave2a\*\*/);
    assert.match(wave2a.contents, /- Exchange: 2003 SP2\n/, 'SP2 from the install-service-pack step, not the inventory SP1');
    assert.match(wave2a.contents, /- Hotfixes: none\n/);
    assert.match(wave2a.contents, /- MTA service: disabled\n- Gateway Out Threads: 0 \(0: the MTA counts as disabled, KB810489\)\n\n/);
    assert.match(wave2a.contents, /exposed to KB924567/);
    assert.equal(multiWave.slice(wave2a.span.start, wave2a.span.end), 'EXCH03');

    const wave2b = hoverAt(multiWave, 'from: EXCH03', 7, 2)!;
    assert.match(wave2b.contents, /\*\*EXCH03 at step wave2b\*\*/);
    assert.match(wave2b.contents, /- Hotfixes: KB924567\n/);
    assert.match(wave2b.contents, /store\.exe: 6\\\.5\\\.7652\\\.5/);
    assert.match(wave2b.contents, /protected: KB924567 with Gateway Out Threads 0 registers no flush/);
    assert.doesNotMatch(wave2b.contents, /EXR001/);
  });

  it('on the same server before its service pack: Exchange 2003 SP1, not exposed', () => {
    const result = hoverAt(multiWave, 'server: EXCH03', 9, 1)!;
    assert.match(result.contents, /\*\*EXCH03 at step sp2\\-exch03\*\*/);
    assert.match(result.contents, /- Exchange: 2003 SP1\n/);
    assert.match(result.contents, /not exposed to KB924567 \(it concerns Exchange 2003 SP2 only\)/);
  });

  it('on a KB id in a step or in the inventory: what it is', () => {
    for (const [needle, into] of [
      ['hotfix: KB924567', 9],
      ['hotfixes: [KB924567]', 12],
    ] as const) {
      const result = hoverAt(multiWave, needle, into)!;
      assert.match(result.contents, /^\*\*KB924567\*\*: E-mail messages remain in the local delivery queue/);
      assert.match(result.contents, /Prerequisite SP2; no reboot/);
    }
    const unknown = hoverAt(multiWave.replace('hotfixes: [KB924567]', 'hotfixes: [KB123456]'), 'KB123456', 2)!;
    assert.match(unknown.contents, /KB123456\*\*: not a KB this extension knows/);
  });

  it('on a field key: the schema description, for the step action the key belongs to', () => {
    const concurrency = hoverAt(multiWave, 'concurrency: 6', 2)!;
    assert.match(
      concurrency.contents,
      /^\*\*concurrency\*\* \(integer\): Mailboxes moved at once \(1–16\)\. The Exchange 2003 Move Mailbox Wizard moves 4 at once by default\./,
    );
    const service = hoverAt(multiWave, 'service: disabled\n', 2, 1)!;
    assert.match(service.contents, /^\*\*service\*\* \(running \| stopped \| disabled\): The MTA service state\./);
    const sampleInterval = hoverAt(multiWave, 'sampleInterval', 2)!;
    assert.match(sampleInterval.contents, /Spacing of the time series/);
    const notHere = hoverAt(multiWave.replace('    servicePack: 2\n  - id: mta-off', '    colour: 2\n  - id: mta-off'), 'colour', 2)!;
    assert.match(notHere.contents, /\*\*colour\*\* is not a field here\./);
  });

  it('on an action value: what the action does', () => {
    const result = hoverAt(multiWave, 'action: install-hotfix', 10)!;
    assert.match(
      result.contents,
      /^\*\*install\\-hotfix\*\*: adds the KB to the server's hotfixes; KB924567 also sets store\.exe to 6\.5\.7652\.5/,
    );
  });

  it('on a move step without throughputMBPerMinute and a server without store.taskThreads: the assumed defaults', () => {
    const text = readExample('kb924567-exposed.runbook.yaml').replace('    throughputMBPerMinute: 30\n', '');
    const step = hoverAt(text, 'id: wave1', 1)!;
    assert.match(step.contents, /_Assumption:_ 30 MB\/min: MB per minute per concurrent mailbox move/);
    const server = hoverAt(text, 'name: EXCH01', 1)!;
    assert.match(server.contents, /_Assumption:_ 40 threads: Information Store task threads per server/);
    const serverValue = hoverAt(text, 'name: EXCH01', 7)!;
    assert.match(serverValue.contents, /\*\*EXCH01 in the inventory \(before the first step\)\*\*/);
    assert.match(serverValue.contents, /_Assumption:_ 40 threads/);
    // Given values are not assumptions.
    const given = hoverAt(readExample('kb924567-exposed.runbook.yaml'), 'id: wave1', 1)!;
    assert.doesNotMatch(given.contents, /Assumption/);
  });

  it('escapes runbook text: a server name cannot inject links, HTML or formatting', () => {
    const text = yaml(
      'runbook: 1',
      'name: n',
      'servers:',
      '  - name: "<img src=x onerror=alert(1)>[click](command:workbench.action.quit)**b**`c`"',
      '    exchange: 2003',
      'steps:',
      '  - id: r',
      '    action: reboot',
      '    server: "<img src=x onerror=alert(1)>[click](command:workbench.action.quit)**b**`c`"',
    );
    const result = hoverAt(text, 'server: "', 10)!;
    assert.ok(result, 'a hover for the server value');
    assert.doesNotMatch(result.contents, /<img/);
    assert.doesNotMatch(result.contents, /\]\(command:/);
    assert.doesNotMatch(result.contents, /(^|[^\\])\*\*b/);
    assert.doesNotMatch(result.contents, /(^|[^\\])`c/);
    assert.match(result.contents, /&lt;img src\\=x onerror\\=alert\\\(1\\\)&gt;\\\[click\\\]/);
  });

  it('nothing on blank space or a comment; never throws on broken YAML', () => {
    const text = readExample('kb924567-exposed.runbook.yaml');
    assert.equal(hoverAt(text, '# First draft', 3), undefined);
    const broken = 'runbook: 1\nsteps:\n  - id: [x\n    action: reboot\n';
    const { analysis } = lint(broken);
    for (let offset = 0; offset <= broken.length; offset++) hover(analysis, offset, {});
  });
});
