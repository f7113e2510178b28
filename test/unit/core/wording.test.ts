/** Messages an Exchange administrator can act on: they say what was measured or judged, and offer every way out. */
import assert from 'node:assert/strict';
import { run, type CliIo } from '../../../src/cli/main';
import { applyEdits } from '../../../src/core/edits';
import { codeActions } from '../../../src/core/features';
import { lintText } from '../../../src/core/lint';
import { exhaustionCause } from '../../../src/core/rules/exr005';
import { exhaustionFindings, simulate } from '../../../src/core/simulator';
import { codes, covered, readExample, yaml } from '../../support';

const SERVERS = [
  'runbook: 1',
  'name: wording',
  'servers:',
  '  - name: EXCH01',
  '    exchange: 2003',
  '    servicePack: 2',
  '  - name: EXCH02',
  '    exchange: 2003',
  '    servicePack: 2',
  '  - name: EXCH03',
  '    exchange: 2003',
  '    servicePack: 2',
];

function move(from: string, to: string): string[] {
  return [
    '  - id: wave1',
    '    action: move-mailboxes',
    `    from: ${from}`,
    `    to: ${to}`,
    '    mailboxes: { count: 10, averageSizeMB: 100 }',
    '    concurrency: 2',
  ];
}

describe('EXR004 uses the runbook’s flush timeout', () => {
  it('EXR004 says ~60 minutes when simulation.flushTimeout is 60m', () => {
    const text = readExample('gateway-out-threads-trap.runbook.yaml');
    const { diagnostics } = lintText(text.replace(/^steps:/m, 'simulation:\n  flushTimeout: 60m\nsteps:'));
    const exr004 = diagnostics.find((d) => d.code === 'EXR004');
    assert.ok(exr004);
    assert.match(exr004.message, /each holding a store thread for ~60 minutes\./);
    assert.doesNotMatch(exr004.message, /150/);
  });
});

describe('EXR005 names the cause it measured', () => {
  it('threads that run out the moment a restarted store comes back: the backlog that queued meanwhile, and the step', () => {
    // 600 messages a minute at 1.2 s each keep 12 of 20 threads busy; a 5-minute store restart queues ~3,000.
    const text = yaml(
      'runbook: 1',
      'name: restart under load',
      'servers:',
      '  - name: EXCH01',
      '    exchange: 2003',
      '    servicePack: 2',
      '    store: { taskThreads: 20 }',
      '    load: { localDeliveryPerMinute: 600, deliveryServiceMs: 1200 }',
      '  - name: EXCH02',
      '    exchange: 2003',
      '    servicePack: 2',
      'steps:',
      ...move('EXCH01', 'EXCH02').map((line) => line.replace('count: 10', 'count: 20').replace('averageSizeMB: 100', 'averageSizeMB: 300')),
      '    start: 2026-12-05T22:00:00Z',
      '  - id: restart-store',
      '    action: restart-services',
      '    server: EXCH01',
      '    services: [MSExchangeIS]',
      '    start: 2026-12-05T22:30:00Z',
    );
    const { runbook } = lintText(text);
    const [finding] = exhaustionFindings(runbook, simulate(runbook));
    assert.match(
      finding.message,
      new RegExp(
        '^The simulation predicts EXCH01 runs out of store task threads at 22:35 UTC, 35 m into wave1: ' +
          'all 20 threads are busy working off the [\\d,]+ requests that queued while step `restart-store` had the store down;',
      ),
    );
  });

  it('the restart whose backlog it was, even when another restart takes the store down before the minute is up', () => {
    // multi-wave with KB924567 straight after the SP2 install and the set-mta step: the SP2 install's
    // hour queues ~18,000 messages, the episode begins when it ends, and the hotfix restarts the store a minute later.
    const text = readExample('multi-wave.runbook.yaml').replace(
      '  - id: wave2a\n',
      '  - id: kb924567-exch03\n    action: install-hotfix\n    server: EXCH03\n    hotfix: KB924567\n  - id: wave2a\n',
    );
    const { runbook } = lintText(text);
    const summary = simulate(runbook, { series: false }).servers.EXCH03.summary;
    assert.equal(summary.exhaustedDuringStep, 'mta-off-exch03');
    const [first] = summary.exhaustions;
    assert.equal(first.afterRestart?.step, 'sp2-exch03');
    assert.ok(first.afterRestart!.waiting > 15_000, `${first.afterRestart!.waiting} waited`);
  });

  it('threads busy with ordinary work: how many with each kind', () => {
    const record = { at: 5, stepIndex: 0, step: 'wave1', flushThreads: 0, threadPool: 40, afterRestart: null };
    assert.equal(
      exhaustionCause({ ...record, busy: { delivery: 30, owa: 6, move: 4, flush: 0 } }),
      'all 40 threads are busy: 30 with local delivery, 6 with OWA and 4 with mailbox moves',
    );
    assert.equal(
      exhaustionCause({ ...record, busy: { delivery: 0, owa: 0, move: 40, flush: 0 } }),
      'all 40 threads are busy: 40 with mailbox moves',
    );
  });
});

describe('EXR001 when the MTA service runs but Gateway Out Threads is 0', () => {
  const text = yaml(
    ...SERVERS.slice(0, 6),
    '    mta: { service: running, gatewayOutThreads: 0 }',
    ...SERVERS.slice(6),
    'steps:',
    ...move('EXCH01', 'EXCH02'),
  );
  const lint = lintText(text);

  it('says exactly that, and names both ways out', () => {
    assert.deepEqual(codes(lint.diagnostics), ['EXR001']);
    const { message } = lint.diagnostics[0];
    assert.match(message, /whose MTA service runs but whose Gateway Out Threads is 0, the sign of a disabled MTA \(KB810489\)/);
    assert.match(message, /Install KB924567 on EXCH01 before this step \(Gateway Out Threads is already 0\), or set Gateway Out Threads/);
    assert.doesNotMatch(message, /MTA service is/);
  });

  it('offers both fixes, and each removes the diagnostic', () => {
    const actions = codeActions(lint.analysis, lint.diagnostics).filter((action) => !action.title.startsWith('Suppress'));
    assert.deepEqual(
      actions.map((action) => action.title),
      [
        'Insert KB924567 install step on EXCH01 before this move',
        'Set Gateway Out Threads to 1 on EXCH01 before this move (its MTA service runs)',
      ],
    );
    for (const action of actions) assert.deepEqual(codes(lintText(applyEdits(text, action.edits)).diagnostics), [], action.title);
    assert.doesNotMatch(applyEdits(text, actions[1].edits), /service: running\n {4}gatewayOutThreads: 1/);
  });
});

describe('EXR010 suggestions', () => {
  it('never suggests the step’s own other server', () => {
    // EXCH0 is one letter from EXCH01 and EXCH02 alike; EXCH02 is this move's target.
    const text = yaml(...SERVERS, 'steps:', ...move('EXCH0', 'EXCH02'));
    const [exr010] = lintText(text).diagnostics;
    assert.equal(exr010.code, 'EXR010');
    assert.match(exr010.message, /; did you mean EXCH01 or EXCH03\?$/);
    assert.doesNotMatch(exr010.message, /EXCH02\?/);
  });

  it('lists every equally close name and offers each, none preferred', () => {
    const text = yaml(...SERVERS, 'steps:', '  - { id: r, action: reboot, server: EXCH0 }');
    const lint = lintText(text);
    const [exr010] = lint.diagnostics;
    assert.match(exr010.message, /; did you mean EXCH01, EXCH02 or EXCH03\?$/);
    const fixes = codeActions(lint.analysis, [exr010]).filter((action) => action.title.startsWith('Change'));
    assert.deepEqual(
      fixes.map((fix) => [fix.title, fix.isPreferred]),
      [
        ['Change to the declared server EXCH01', false],
        ['Change to the declared server EXCH02', false],
        ['Change to the declared server EXCH03', false],
      ],
    );
  });
});

describe('EXR100 for an unknown field', () => {
  const text = yaml(...SERVERS, 'steps:', ...move('EXCH01', 'EXCH02').map((line) => line.replace('concurrency', 'concurency')));

  it('suggests the closest field the step takes, and the quick fix renames the key', () => {
    const lint = lintText(text);
    const unknown = lint.diagnostics.find((d) => d.message.startsWith('Unknown field'));
    assert.ok(unknown);
    assert.equal(covered(text, unknown), 'concurency');
    assert.match(
      unknown.message,
      /^Unknown field `concurency` in step `wave1`: did you mean `concurrency`\? A `move-mailboxes` step takes /,
    );
    const rename = codeActions(lint.analysis, [unknown]).find((action) => action.title === 'Rename `concurency` to `concurrency`');
    assert.ok(rename);
    assert.deepEqual(lintText(applyEdits(text, rename.edits)).diagnostics, []);
  });

  it('does not suggest a field the mapping already has', () => {
    const both = text.replace('    concurency: 2', '    concurrency: 2\n    concurency: 4');
    const unknown = lintText(both).diagnostics.find((d) => d.message.startsWith('Unknown field'));
    assert.ok(unknown);
    assert.doesNotMatch(unknown.message, /did you mean/);
  });
});

describe('EXR102 while the YAML does not parse', () => {
  it('is not reported: nothing but EXR101 is judged until the YAML parses', () => {
    const text = yaml(...SERVERS, 'steps:', '  # exrunbook-disable-next-line EXR003', ...move('EXCH01', 'EXCH02'), '  - id: [broken');
    assert.deepEqual(codes(lintText(text).diagnostics), ['EXR101']);
    assert.deepEqual(codes(lintText(text.replace('  - id: [broken\n', '')).diagnostics), ['EXR102']);
  });
});

describe('`exrunbook simulate` refused', () => {
  it('names the errors that stop the simulation, not every error', () => {
    // EXR001 is an error but does not stop a simulation; the undeclared EXCH09 (EXR010) does.
    const text = readExample('kb924567-exposed.runbook.yaml').replace('to: EXCH02', 'to: EXCH09');
    assert.deepEqual(codes(lintText(text).diagnostics).sort(), ['EXR001', 'EXR010']);
    let stderr = '';
    const io: CliIo = {
      out: () => undefined,
      err: (chunk) => (stderr += chunk),
      readFile: () => text,
      readStdin: () => text,
      cwd: () => '/',
    };
    assert.equal(run(['simulate', 'wave.runbook.yaml'], io), 1);
    const lines = stderr.trimEnd().split('\n');
    assert.equal(lines[0], 'exrunbook: wave.runbook.yaml has errors that stop the simulation:');
    assert.equal(lines.filter((line) => / error EXR/.test(line)).length, 1);
    assert.match(lines[1], /^wave\.runbook\.yaml:\d+:\d+: error EXR010 /);
  });
});
