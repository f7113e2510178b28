import assert from 'node:assert/strict';
import { codes, covered, lint, readExample } from '../../support';

describe('shipped examples produce the diagnostics their comments describe', () => {
  it('kb924567-exposed: EXR001 on wave1, naming EXCH01, the mailbox count and what breaks', () => {
    const text = readExample('kb924567-exposed.runbook.yaml');
    const { diagnostics, simulatable } = lint(text);
    assert.deepEqual(codes(diagnostics), ['EXR001']);
    const [d] = diagnostics;
    assert.equal(d.severity, 'error');
    assert.equal(covered(text, d), 'EXCH01');
    assert.deepEqual(d.range, { start: { line: 27, character: 10 }, end: { line: 27, character: 16 } });
    for (const words of ['EXCH01', '`wave1`', '400 mailboxes', '150 minutes', 'local delivery queue', 'Outlook Web Access', 'SMTP']) {
      assert.ok(d.message.includes(words), `message mentions ${words}: ${d.message}`);
    }
    assert.equal(simulatable, true);
  });

  it('kb924567-fixed: no diagnostics', () => {
    assert.deepEqual(lint(readExample('kb924567-fixed.runbook.yaml')).diagnostics, []);
  });

  it('gateway-out-threads-trap: EXR004 on the move from FAB-MBX1, not EXR001', () => {
    const text = readExample('gateway-out-threads-trap.runbook.yaml');
    const { diagnostics } = lint(text);
    assert.deepEqual(codes(diagnostics), ['EXR004']);
    assert.equal(covered(text, diagnostics[0]), 'FAB-MBX1');
    assert.match(diagnostics[0].message, /Gateway Out Threads is 1, not 0/);
  });

  it('multi-wave: only wave 2a (before EXCH03 is hotfixed) is exposed', () => {
    const text = readExample('multi-wave.runbook.yaml');
    const { diagnostics } = lint(text);
    assert.deepEqual(codes(diagnostics), ['EXR001']);
    assert.match(diagnostics[0].message, /`wave2a`/);
    assert.match(diagnostics[0].message, /EXCH03/);
    assert.equal(diagnostics[0].range.start.line, 48);
  });
});
