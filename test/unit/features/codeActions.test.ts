import assert from 'node:assert/strict';
import { applyEdits } from '../../../src/core/edits';
import { codeActions, diagnosticsAt, type CodeActionItem } from '../../../src/core/features';
import type { RunbookDiagnostic } from '../../../src/core/diagnostics';
import { codes, lint, readExample, yaml } from '../../support';
import * as fixtures from './fixtures';
import { crlf, FLOW_STEPS, INDENTLESS_STEPS, MTA_STOPPED_BY_STEP, SP1_HOTFIX_THEN_REBOOT, TYPO_SERVER } from './fixtures';

function actionsFor(text: string, code: string): { diagnostic: RunbookDiagnostic; actions: CodeActionItem[] } {
  const { diagnostics, analysis } = lint(text);
  const diagnostic = diagnostics.find((d) => d.code === code);
  assert.ok(diagnostic, `the fixture has ${code}: ${codes(diagnostics).join(', ')}`);
  return { diagnostic, actions: codeActions(analysis, [diagnostic]) };
}

function pick(actions: CodeActionItem[], titleStart: string): CodeActionItem {
  const action = actions.find((a) => a.title.startsWith(titleStart));
  assert.ok(action, `an action "${titleStart}…" among: ${actions.map((a) => a.title).join(' | ')}`);
  return action;
}

/**
 * Applies a fix and lints again: the fixed diagnostic is gone, and every remaining diagnostic
 * was there before (same code and message; positions may move).
 */
function applyAndRelint(text: string, action: CodeActionItem): string {
  const before = lint(text).diagnostics;
  const fixed = applyEdits(text, action.edits);
  const after = lint(fixed).diagnostics;
  const key = (d: RunbookDiagnostic) => `${d.code} ${d.message}`;
  assert.ok(
    !after.some((d) => key(d) === key(action.diagnostic)),
    `"${action.title}" removed ${action.diagnostic.code}; left: ${after.map(key).join('\n')}`,
  );
  const previous = new Set(before.map(key));
  const added = after.filter((d) => !previous.has(key(d)));
  assert.deepEqual(added.map(key), [], `"${action.title}" added no diagnostic`);
  return fixed;
}

/** Every line of `original` is still in `fixed`, in order: the fix only inserted lines or changed a value. */
function keepsLines(original: string, fixed: string, except: RegExp[] = []) {
  const kept = fixed.split(/\r?\n/);
  let cursor = 0;
  for (const line of original.split(/\r?\n/)) {
    if (except.some((pattern) => pattern.test(line))) continue;
    const found = kept.indexOf(line, cursor);
    assert.ok(found >= 0, `line kept: ${JSON.stringify(line)}`);
    cursor = found + 1;
  }
}

describe('quick fixes', () => {
  describe('EXR001', () => {
    it('inserts a KB924567 install step before the move, keeping the comments and layout', () => {
      const text = readExample('kb924567-exposed.runbook.yaml');
      const { actions } = actionsFor(text, 'EXR001');
      const insert = pick(actions, 'Insert KB924567 install step on EXCH01');
      assert.equal(insert.isPreferred, true);
      assert.equal(insert.kind, 'quickfix');
      const fixed = applyAndRelint(text, insert);
      keepsLines(text, fixed);
      assert.match(
        fixed,
        /\nsteps:\n {2}- id: kb924567-exch01\n {4}title: Install KB924567 on EXCH01 \(restarts the Information Store, Microsoft Search and IIS Admin services; no reboot\)\n {4}action: install-hotfix\n {4}server: EXCH01\n {4}hotfix: KB924567\n {2}- id: wave1\n/,
      );
      assert.deepEqual(lint(fixed).diagnostics, []);
    });

    it('plans Gateway Out Threads 0 as a set-mta step after the hotfix, never an edit of the inventory, and says so (issue 17)', () => {
      const text = readExample('kb924567-exposed.runbook.yaml').replace('gatewayOutThreads: 0', 'gatewayOutThreads: 2');
      const fix = pick(actionsFor(text, 'EXR001').actions, 'Insert KB924567');
      assert.equal(fix.title, 'Insert KB924567 install step on EXCH01, then a set-mta step for Gateway Out Threads 0, before this move');
      const fixed = applyAndRelint(text, fix);
      assert.match(fixed, /mta:\n {6}service: disabled\n {6}gatewayOutThreads: 2\n/, 'the inventory is as it was');
      assert.match(
        fixed,
        /\n {2}- id: kb924567-exch01\n[^]*?hotfix: KB924567\n {2}- id: gateway-out-threads-exch01\n {4}title: Set Gateway Out Threads to 0 on EXCH01, as KB924567 requires with the MTA disabled \(KB810489\)\n {4}action: set-mta\n {4}server: EXCH01\n {4}gatewayOutThreads: 0\n {2}- id: wave1\n/,
      );
      keepsLines(text, fixed);
      assert.deepEqual(codes(lint(fixed).diagnostics), []);
    });

    it('the same when a step before the move changes that MTA', () => {
      const fixed = applyAndRelint(MTA_STOPPED_BY_STEP, pick(actionsFor(MTA_STOPPED_BY_STEP, 'EXR001').actions, 'Insert KB924567'));
      keepsLines(MTA_STOPPED_BY_STEP, fixed);
      assert.match(
        fixed,
        /- id: kb924567-exch01\n[^]*?\n {2}- id: gateway-out-threads-exch01\n[^]*?gatewayOutThreads: 0\n {2}- id: wave1\n/,
      );
      assert.deepEqual(codes(lint(fixed).diagnostics), []);
    });

    it('inserts the hotfix before wave2a of the multi-wave example (the step that is exposed), with a unique id', () => {
      const text = readExample('multi-wave.runbook.yaml');
      const fixed = applyAndRelint(text, pick(actionsFor(text, 'EXR001').actions, 'Insert KB924567'));
      assert.ok(fixed.indexOf('id: kb924567-exch03') < fixed.indexOf('id: wave2a'));
      assert.ok(fixed.indexOf('id: mta-off-exch03') < fixed.indexOf('id: kb924567-exch03'));
    });

    it('enables the MTA with a set-mta step (and a non-zero Gateway Out Threads when it was 0)', () => {
      const text = readExample('kb924567-exposed.runbook.yaml');
      const fixed = applyAndRelint(text, pick(actionsFor(text, 'EXR001').actions, 'Enable the MTA service on EXCH01'));
      assert.match(
        fixed,
        /\n {2}- id: mta-on-exch01\n {4}title: Run the MTA service on EXCH01 during the move\n {4}action: set-mta\n {4}server: EXCH01\n {4}service: running\n {4}gatewayOutThreads: 1\n {2}- id: wave1/,
      );
      keepsLines(text, fixed);
    });

    it('keeps CRLF line endings', () => {
      const text = crlf(readExample('kb924567-exposed.runbook.yaml'));
      for (const title of ['Insert KB924567', 'Enable the MTA']) {
        const fixed = applyAndRelint(text, pick(actionsFor(text, 'EXR001').actions, title));
        assert.equal(fixed.replace(/\r\n/g, '').includes('\n'), false, 'no bare LF');
        assert.ok(fixed.length > text.length);
      }
    });

    it('writes flow-style steps into a flow sequence and a flow server mapping', () => {
      const fixed = applyAndRelint(FLOW_STEPS, pick(actionsFor(FLOW_STEPS, 'EXR001').actions, 'Insert KB924567'));
      assert.match(fixed, /mta: \{ service: disabled \} \}/);
      assert.match(
        fixed,
        /steps: \[\n {2}\{ id: kb924567-exch01, title: "Install KB924567 on EXCH01 \(restarts the Information Store, Microsoft Search and IIS Admin services; no reboot\)", action: install-hotfix, server: EXCH01, hotfix: KB924567 \}, \{ id: gateway-out-threads-exch01, [^}]*gatewayOutThreads: 0 \}, \{ id: wave1,/,
      );
      assert.deepEqual(lint(fixed).diagnostics, []);
    });

    it('follows an indentless sequence with a wide gap after the dash', () => {
      const fixed = applyAndRelint(INDENTLESS_STEPS, pick(actionsFor(INDENTLESS_STEPS, 'EXR001').actions, 'Insert KB924567'));
      assert.match(
        fixed,
        /\nsteps:\n- {3}id: kb924567-exch01\n {4}title: [^\n]+\n {4}action: install-hotfix\n {4}server: EXCH01\n {4}hotfix: KB924567\n- {3}id: gateway-out-threads-exch01\n[^]*?\n- {3}id: wave1\n/,
      );
      assert.match(fixed, /\n {2}mta:\n {4}service: disabled\n- name: EXCH02/);
      assert.deepEqual(lint(fixed).diagnostics, []);
    });
  });

  it('EXR004: plans Gateway Out Threads 0 as a set-mta step before the move, the inventory untouched', () => {
    const text = readExample('gateway-out-threads-trap.runbook.yaml');
    const { actions } = actionsFor(text, 'EXR004');
    const fix = pick(actions, 'Insert a set-mta step for Gateway Out Threads 0 on FAB-MBX1 before this move');
    assert.equal(fix.edits.length, 1);
    const fixed = applyAndRelint(text, fix);
    assert.match(
      fixed,
      /\n {2}- id: gateway-out-threads-fab-mbx1\n {4}title: Set Gateway Out Threads to 0 on FAB-MBX1, [^\n]*\n {4}action: set-mta\n {4}server: FAB-MBX1\n {4}gatewayOutThreads: 0\n/,
    );
    // The inventory still says how the server is now.
    assert.ok(fixed.includes('gatewayOutThreads: 1'));
    keepsLines(text, fixed);
  });

  it('EXR004: uses a set-mta step when a step before the move set the MTA', () => {
    const text = MTA_STOPPED_BY_STEP.replace(
      '    servicePack: 2\n  - name: EXCH02',
      '    servicePack: 2\n    hotfixes: [KB924567]\n  - name: EXCH02',
    );
    const fixed = applyAndRelint(text, pick(actionsFor(text, 'EXR004').actions, 'Insert a set-mta step for Gateway Out Threads 0'));
    assert.match(fixed, /- id: gateway-out-threads-exch01\n[^]*gatewayOutThreads: 0\n {2}- id: wave1/);
    keepsLines(text, fixed);
  });

  it('EXR002: inserts install-service-pack 2 before the hotfix, above the comment that belongs to it', () => {
    const fixed = applyAndRelint(
      SP1_HOTFIX_THEN_REBOOT,
      pick(actionsFor(SP1_HOTFIX_THEN_REBOOT, 'EXR002').actions, 'Insert install-service-pack 2 before the hotfix'),
    );
    keepsLines(SP1_HOTFIX_THEN_REBOOT, fixed);
    assert.match(
      fixed,
      /\nsteps:\n {2}- id: sp2-ts-mbx1\n {4}title: Install Exchange Service Pack 2 on TS-MBX1\n {4}action: install-service-pack\n {4}server: TS-MBX1\n {4}servicePack: 2\n {2}# the store fix first\n {2}- id: hotfix\n/,
    );
  });

  it('EXR002: offers no service pack for a server that is not Exchange 2003', () => {
    const text = SP1_HOTFIX_THEN_REBOOT.replace('    exchange: 2003\n    servicePack: 1', '    exchange: 2000\n    servicePack: 3');
    const { actions } = actionsFor(text, 'EXR002');
    assert.deepEqual(
      actions.map((a) => a.title),
      ['Suppress EXR002 for this step'],
    );
  });

  it('EXR007: removes the reboot step, and only it', () => {
    const fixed = applyAndRelint(
      SP1_HOTFIX_THEN_REBOOT,
      pick(actionsFor(SP1_HOTFIX_THEN_REBOOT, 'EXR007').actions, 'Remove the unneeded reboot'),
    );
    assert.equal(fixed, SP1_HOTFIX_THEN_REBOOT.replace('  - id: reboot-after\n    action: reboot\n    server: TS-MBX1\n', ''));
  });

  it('EXR007: removal works on CRLF text', () => {
    const text = crlf(SP1_HOTFIX_THEN_REBOOT);
    const fixed = applyAndRelint(text, pick(actionsFor(text, 'EXR007').actions, 'Remove'));
    assert.equal(fixed, text.replace('  - id: reboot-after\r\n    action: reboot\r\n    server: TS-MBX1\r\n', ''));
  });

  it('EXR010: changes the name to the closest declared server, keeping the comment', () => {
    const fixed = applyAndRelint(TYPO_SERVER, pick(actionsFor(TYPO_SERVER, 'EXR010').actions, 'Change to the declared server EXCH02'));
    assert.equal(fixed, TYPO_SERVER.replace('to: EXHC02 # typo', 'to: EXCH02 # typo'));
  });

  it('EXR011: renames a duplicate step id to a unique one', () => {
    const text = SP1_HOTFIX_THEN_REBOOT.replace('id: settle', 'id: hotfix');
    const fixed = applyAndRelint(text, pick(actionsFor(text, 'EXR011').actions, 'Rename this step to hotfix-2'));
    assert.equal(fixed, SP1_HOTFIX_THEN_REBOOT.replace('id: settle', 'id: hotfix-2'));
  });

  describe('EXR102 (a suppression that suppresses nothing)', () => {
    it('removes the unused code and keeps the used one', () => {
      const text = SP1_HOTFIX_THEN_REBOOT.replace(
        '  - id: reboot-after',
        '  # exrunbook-disable-next-line EXR003, EXR007\n  - id: reboot-after',
      );
      const fixed = applyAndRelint(text, pick(actionsFor(text, 'EXR102').actions, 'Remove EXR003 from this suppression comment'));
      assert.match(fixed, /\n {2}# exrunbook-disable-next-line EXR007\n {2}- id: reboot-after/);
      const reversed = text.replace('EXR003, EXR007', 'EXR007 EXR003');
      assert.match(
        applyAndRelint(reversed, pick(actionsFor(reversed, 'EXR102').actions, 'Remove EXR003')),
        /# exrunbook-disable-next-line EXR007\n/,
      );
    });

    it('removes a comment line that suppresses nothing at all, or a trailing comment after content', () => {
      const text = SP1_HOTFIX_THEN_REBOOT.replace('  - id: settle', '  # exrunbook-disable-next-line EXR003\n  - id: settle');
      assert.equal(applyAndRelint(text, pick(actionsFor(text, 'EXR102').actions, 'Remove EXR003')), SP1_HOTFIX_THEN_REBOOT);
      const trailing = SP1_HOTFIX_THEN_REBOOT.replace('    duration: 30m', '    duration: 30m  # exrunbook-disable-next-line EXR001');
      assert.equal(applyAndRelint(trailing, pick(actionsFor(trailing, 'EXR102').actions, 'Remove EXR001')), SP1_HOTFIX_THEN_REBOOT);
      const bare = crlf(SP1_HOTFIX_THEN_REBOOT.replace('  - id: settle', '  # exrunbook-disable-next-line\n  - id: settle'));
      assert.equal(
        applyAndRelint(bare, pick(actionsFor(bare, 'EXR102').actions, 'Remove this suppression comment')),
        crlf(SP1_HOTFIX_THEN_REBOOT),
      );
    });
  });

  describe('suppress for this step', () => {
    const cases: [string, string][] = [
      ['EXR001', readExample('kb924567-exposed.runbook.yaml')],
      ['EXR004', readExample('gateway-out-threads-trap.runbook.yaml')],
      ['EXR002', SP1_HOTFIX_THEN_REBOOT],
      ['EXR007', SP1_HOTFIX_THEN_REBOOT],
      ['EXR010', TYPO_SERVER],
      ['EXR001', crlf(MTA_STOPPED_BY_STEP)],
    ];
    for (const [code, text] of cases) {
      it(`${code}${text.includes('\r\n') ? ' (CRLF)' : ''}: inserts the directive above the step with its indentation`, () => {
        const fixed = applyAndRelint(text, pick(actionsFor(text, code).actions, `Suppress ${code} for this step`));
        const eol = text.includes('\r\n') ? '\r\n' : '\n';
        assert.match(fixed, new RegExp(`${eol} {2}# exrunbook-disable-next-line ${code}${eol}( {2}#[^\\r\\n]*${eol})* {2}- id: `));
        keepsLines(text, fixed);
      });
    }

    it('adds the code to a directive already above the step', () => {
      const text = SP1_HOTFIX_THEN_REBOOT.replace('  - id: reboot-after', '  # exrunbook-disable-next-line EXR003\n  - id: reboot-after');
      const { diagnostics, analysis } = lint(text);
      const exr007 = diagnostics.find((d) => d.code === 'EXR007')!;
      const suppress = pick(codeActions(analysis, [exr007]), 'Suppress EXR007');
      const fixed = applyEdits(text, suppress.edits);
      assert.match(fixed, /# exrunbook-disable-next-line EXR003, EXR007\n {2}- id: reboot-after/);
      assert.ok(!lint(fixed).diagnostics.some((d) => d.code === 'EXR007'));
    });

    it('offers a line suppression for a finding outside the steps, and none for broken YAML', () => {
      const text = readExample('kb924567-fixed.runbook.yaml').replace(
        'storeVersion: 6.5.7638.1\n    mta',
        'storeVersion: 6.5.7638.1\n    colour: blue\n    mta',
      );
      const { actions } = actionsFor(text, 'EXR100');
      const fixed = applyAndRelint(text, pick(actions, 'Suppress EXR100 on this line'));
      assert.match(fixed, /\n {4}# exrunbook-disable-next-line EXR100\n {4}colour: blue\n/);
      assert.deepEqual(actionsFor('runbook: [1\n', 'EXR101').actions, []);
    });
  });

  it('every action offered on every example and fixture removes its diagnostic and adds none', () => {
    const texts = [
      ...['kb924567-exposed', 'kb924567-fixed', 'gateway-out-threads-trap', 'multi-wave'].map((name) =>
        readExample(`${name}.runbook.yaml`),
      ),
      ...Object.values(fixtures).filter((value): value is string => typeof value === 'string'),
    ];
    let checked = 0;
    for (const text of [...texts, ...texts.map(crlf)]) {
      const { diagnostics, analysis } = lint(text);
      for (const action of codeActions(analysis, diagnostics)) {
        applyAndRelint(text, action);
        checked++;
      }
    }
    assert.ok(checked >= 30, `checked ${checked} actions`);
  });

  it('diagnosticsAt picks the diagnostics under the cursor or selection', () => {
    const text = SP1_HOTFIX_THEN_REBOOT;
    const { diagnostics } = lint(text);
    const atReboot = text.indexOf('action: reboot') + 10;
    assert.deepEqual(codes(diagnosticsAt(diagnostics, { start: atReboot, end: atReboot })), ['EXR007']);
    assert.deepEqual(codes(diagnosticsAt(diagnostics, { start: 0, end: text.length })), ['EXR002', 'EXR007']);
    assert.deepEqual(diagnosticsAt(diagnostics, { start: 0, end: 5 }), []);
  });

  it('a diagnostic without data (as rebuilt from the editor) still finds its step', () => {
    const text = readExample('kb924567-exposed.runbook.yaml');
    const { diagnostics, analysis } = lint(text);
    const bare = { ...diagnostics[0], data: undefined };
    const titles = codeActions(analysis, [bare]).map((a) => a.title);
    assert.deepEqual(titles, [
      'Insert KB924567 install step on EXCH01 before this move',
      'Enable the MTA service on EXCH01 before this move',
      'Suppress EXR001 for this step',
    ]);
  });

  it('a suppression naming 10,000 codes: one removal per code, each taking out exactly its code and separator', () => {
    const names = Array.from({ length: 10_000 }, (_, i) => `XYZ${i}`);
    const text = yaml(
      'runbook: 1',
      'name: n',
      'servers:',
      '  - name: A',
      '    exchange: 2003',
      'steps:',
      `  # exrunbook-disable-next-line ${names.join(', ')}`,
      '  - id: w',
      '    action: wait',
      '    duration: 1m',
    );
    const { diagnostics, analysis } = lint(text);
    const actions = codeActions(analysis, diagnostics);
    assert.equal(actions.length, 10_000);
    const commentOf = (fixed: string) => fixed.split('\n')[6];
    const without = (index: number) => `  # exrunbook-disable-next-line ${names.filter((_, i) => i !== index).join(', ')}`;
    for (const index of [0, 4_321, 9_999]) {
      const action = actions.find((candidate) => candidate.title === `Remove ${names[index]} from this suppression comment`);
      assert.ok(action);
      assert.equal(commentOf(applyEdits(text, action.edits)), without(index));
    }
  });
});
