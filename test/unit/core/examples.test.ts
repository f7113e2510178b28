import assert from 'node:assert/strict';
import type { RunbookDiagnostic } from '../../../src/core/diagnostics';
import { simulate } from '../../../src/core/simulator';
import { codes, covered, lint, readExample } from '../../support';
import { cliWith } from '../cli/memoryIo';

describe('shipped examples produce the diagnostics their comments describe', () => {
  it('storage-groups: EXR014 on the new database, EXR004 on the later move out of it, EXR015 on the Standard Edition target; no EXR012', () => {
    const text = readExample('storage-groups.runbook.yaml');
    const { diagnostics, simulatable } = lint(text);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.severity, covered(text, d), d.range.start.line]),
      [
        ['EXR014', 'warning', 'Projects', 49],
        ['EXR004', 'error', 'Projects', 62],
        ['EXR015', 'error', 'Branch Mailboxes', 72],
      ],
    );
    assert.match(diagnostics[0].message, /event 2000/);
    assert.match(diagnostics[1].message, /`projects-out`/);
    assert.match(diagnostics[2].message, /past its limit of 18 GB/);
    assert.equal(simulatable, true, 'the rebalance inside EXCH01 does not stop the simulation');
  });

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

/** What `exrunbook lint --format json FILE` reports for a shipped example: the exit code and the file's diagnostics. */
function lintExampleAsCli(name: string): { exitCode: number; diagnostics: CliDiagnostic[] } {
  const { code: exitCode, stdout } = cliWith({ [name]: readExample(name) }, ['lint', '--format', 'json', name]);
  return { exitCode, diagnostics: JSON.parse(stdout).files[0].diagnostics };
}

interface CliDiagnostic {
  code: string;
  severity: string;
  message: string;
  range: RunbookDiagnostic['range'];
}

/** The text between two 0-based positions of a CLI range. */
function rangeText(text: string, range: RunbookDiagnostic['range']): string {
  const lines = text.split('\n');
  assert.equal(range.start.line, range.end.line, 'one-line range');
  return lines[range.start.line].slice(range.start.character, range.end.character);
}

/** The example's text without the step whose id is `id` (from its `- id:` line to the next step). */
function withoutStep(text: string, id: string): string {
  const without = text.replace(new RegExp(`  - id: ${id}\\n(?:    .*\\n)*`), '');
  assert.notEqual(without, text, `step ${id} found`);
  return without;
}

describe('the longer shipped examples: exactly what `exrunbook lint` reports', () => {
  it('multi-night-consolidation: one EXR003, on the start of the target reboot that lands inside Friday’s move', () => {
    const text = readExample('multi-night-consolidation.runbook.yaml');
    const { exitCode, diagnostics } = lintExampleAsCli('multi-night-consolidation.runbook.yaml');
    assert.equal(exitCode, 0, 'a warning does not fail lint');
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.severity, d.range]),
      [['EXR003', 'warning', { start: { line: 52, character: 11 }, end: { line: 52, character: 31 } }]],
    );
    assert.equal(rangeText(text, diagnostics[0].range), '2027-03-06T05:00:00Z');
    for (const words of ['WGB-EXCH10', '`fri-exch01`', '27 m to run', '`sat-patch-exch10`']) {
      assert.ok(diagnostics[0].message.includes(words), `message mentions ${words}: ${diagnostics[0].message}`);
    }
  });

  it('multi-night-consolidation: the simulated Friday move ends later than planned, because the reboot interrupts it', () => {
    const { analysis, runbook } = lint(readExample('multi-night-consolidation.runbook.yaml'));
    const planned = analysis.context!.schedule.steps[0];
    const result = simulate(runbook);
    const friday = result.steps[0];
    assert.equal(friday.id, 'fri-exch01');
    assert.ok(friday.completed);
    assert.ok(friday.end > planned.end + 10, `simulated end ${friday.end} m, planned ${planned.end} m`);
    for (const { summary } of Object.values(result.servers)) {
      assert.equal(summary.exhaustedAt, null, summary.server);
      assert.equal(
        summary.flushTasksRegistered,
        0,
        `${summary.server}: every source has KB924567 and Gateway Out Threads 0 when it is moved`,
      );
    }
  });

  it('service-pack-before-hotfix: only the EXR007 hint, on the reboot after KB924567; no flush is registered', () => {
    const text = readExample('service-pack-before-hotfix.runbook.yaml');
    const { exitCode, diagnostics } = lintExampleAsCli('service-pack-before-hotfix.runbook.yaml');
    assert.equal(exitCode, 0);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.severity, d.range]),
      [['EXR007', 'information', { start: { line: 47, character: 12 }, end: { line: 47, character: 18 } }]],
    );
    assert.equal(rangeText(text, diagnostics[0].range), 'reboot');
    assert.match(diagnostics[0].message, /step `hotfix-reboot` can be removed/i);
    const result = simulate(lint(text).runbook);
    assert.equal(result.servers['ADV-MAIL1'].summary.flushTasksRegistered, 0);
    assert.equal(result.servers['ADV-MAIL1'].summary.exhaustedAt, null);
  });

  it('service-pack-before-hotfix: each preparation step is needed (without SP2: EXR002; without the MTA step: EXR004)', () => {
    const text = readExample('service-pack-before-hotfix.runbook.yaml');
    const noServicePack = withoutStep(withoutStep(text, 'sp2'), 'sp2-reboot');
    const exr002 = lint(noServicePack).diagnostics.filter((d) => d.code === 'EXR002');
    assert.equal(exr002.length, 1);
    assert.equal(covered(noServicePack, exr002[0]), 'KB924567');
    assert.match(exr002[0].message, /ADV-MAIL1, which is Exchange 2003 SP1 at that step/);
    const noMtaStep = withoutStep(text, 'mta-off');
    const afterHotfixOnly = lint(noMtaStep).diagnostics;
    assert.deepEqual(codes(afterHotfixOnly), ['EXR007', 'EXR004']);
    assert.equal(covered(noMtaStep, afterHotfixOnly[1]), 'ADV-MAIL1');
    assert.match(afterHotfixOnly[1].message, /Gateway Out Threads is 1, not 0/);
  });

  it('clean-long-weekend: nothing at all, and a simulation in which no store runs short of threads', () => {
    const { exitCode, diagnostics } = lintExampleAsCli('clean-long-weekend.runbook.yaml');
    assert.equal(exitCode, 0);
    assert.deepEqual(diagnostics, []);
    const result = simulate(lint(readExample('clean-long-weekend.runbook.yaml')).runbook);
    assert.deepEqual(Object.keys(result.servers), ['TT-EXCH01', 'TT-EXCH02', 'TT-EXCH05']);
    assert.ok(result.steps.every((step) => step.completed));
    for (const { summary } of Object.values(result.servers)) {
      assert.equal(summary.exhaustedAt, null, summary.server);
      assert.equal(summary.maxLocalDeliveryQueue, 0, summary.server);
      assert.equal(summary.owaUnanswered, 0, summary.server);
      assert.equal(summary.flushTasksRegistered, 0, summary.server);
    }
  });
});
