import assert from 'node:assert/strict';
import { applyEdits, insertHotfixStepBefore, setMoveConcurrency } from '../../../src/core/edits';
import { lint, readExample, yaml } from '../../support';
import { crlf, FLOW_STEPS, MTA_STOPPED_BY_STEP } from './fixtures';

describe('core edits', () => {
  describe('applyEdits', () => {
    it('applies replacements and inserts in offset order, whatever order they come in', () => {
      const edits = [
        { span: { start: 6, end: 11 }, newText: 'there' },
        { span: { start: 0, end: 0 }, newText: '> ' },
        { span: { start: 5, end: 5 }, newText: ',' },
      ];
      assert.equal(applyEdits('hello world', edits), '> hello, there');
    });

    it('keeps the given order of inserts at one offset and skips an edit that overlaps an earlier one', () => {
      const edits = [
        { span: { start: 2, end: 2 }, newText: 'a' },
        { span: { start: 2, end: 2 }, newText: 'b' },
        { span: { start: 1, end: 4 }, newText: 'X' },
        { span: { start: 3, end: 5 }, newText: 'Y' },
      ];
      assert.equal(applyEdits('012345', edits), '0X45');
      assert.equal(applyEdits('012345', edits.slice(0, 2)), '01ab2345');
    });
  });

  describe('setMoveConcurrency', () => {
    const text = readExample('multi-wave.runbook.yaml');
    const { runbook } = lint(text);

    it('replaces the value only', () => {
      const wave2a = runbook.steps.findIndex((step) => step.id?.value === 'wave2a');
      const edits = setMoveConcurrency(text, runbook, wave2a, 8);
      assert.equal(edits.length, 1);
      assert.equal(text.slice(edits[0].span.start, edits[0].span.end), '4');
      const fixed = applyEdits(text, edits);
      assert.equal(
        fixed
          .split('\n')
          .filter((line, i) => line !== text.split('\n')[i])
          .join('|'),
        '    concurrency: 8',
      );
    });

    it('gives no edit when the step already has that concurrency', () => {
      assert.deepEqual(setMoveConcurrency(text, runbook, 0, 6), []);
    });

    it('adds the key at the end of a block step, after a trailing comment, with the step indentation and CRLF', () => {
      const source = crlf(
        yaml(
          'runbook: 1',
          'name: n',
          'servers:',
          '  - name: A',
          '    exchange: 2003',
          '  - name: B',
          '    exchange: 2003',
          'steps:',
          '  - id: m',
          '    action: move-mailboxes',
          '    from: A',
          '    to: B',
          '    mailboxes:',
          '      count: 3',
          '      averageSizeMB: 10   # small',
          '  - id: w',
          '    action: wait',
          '    duration: 1h',
        ),
      );
      const fixed = applyEdits(source, setMoveConcurrency(source, lint(source).runbook, 0, 3));
      assert.ok(fixed.includes('      averageSizeMB: 10   # small\r\n    concurrency: 3\r\n  - id: w\r\n'));
      assert.deepEqual(lint(fixed).diagnostics, []);
    });

    it('adds the key inside a flow mapping step', () => {
      const source = FLOW_STEPS.replace(', concurrency: 1 }', ' }');
      const fixed = applyEdits(source, setMoveConcurrency(source, lint(source).runbook, 0, 2));
      assert.ok(fixed.includes('mailboxes: { count: 5, averageSizeMB: 10 }, concurrency: 2 }'));
    });

    it('gives no edits for a runbook model that does not describe the text (stale), broken YAML or not', () => {
      const stale = lint(text).runbook;
      assert.deepEqual(setMoveConcurrency('# moved\n' + text, stale, 0, 2), []);
      // Edits read only the step they change; whether the rest of the text parses is the caller's analysis to say.
      assert.deepEqual(insertHotfixStepBefore('# moved\n' + text + '\n  - [', stale, 3, 'EXCH03'), []);
      assert.deepEqual(setMoveConcurrency(text, runbook, 99, 2), []);
    });
  });

  describe('insertHotfixStepBefore', () => {
    it('picks a unique id when the natural one is taken', () => {
      const text = MTA_STOPPED_BY_STEP.replace('id: mta-off', 'id: kb924567-exch01');
      const { runbook } = lint(text);
      const fixed = applyEdits(text, insertHotfixStepBefore(text, runbook, 1, 'exch01'));
      assert.match(fixed, /- id: kb924567-exch01-2\n/);
      assert.match(fixed, /server: EXCH01\n {4}hotfix: KB924567/, 'uses the declared spelling of the server');
      assert.deepEqual(lint(fixed).diagnostics, []);
    });

    it('quotes a title that would not read back as plain text', () => {
      const text = FLOW_STEPS;
      const fixed = applyEdits(text, insertHotfixStepBefore(text, lint(text).runbook, 0, 'EXCH01'));
      const step = lint(fixed).runbook.steps[0];
      assert.equal(
        step.title?.value,
        'Install KB924567 on EXCH01 (restarts the Information Store, Microsoft Search and IIS Admin services; no reboot)',
      );
    });
  });
});
