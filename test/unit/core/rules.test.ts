import assert from 'node:assert/strict';
import { lintText } from '../../../src/core/lint';
import { codes, covered, lint, yaml } from '../../support';

/** Two Exchange 2003 servers; EXCH01's inventory lines and the steps vary per test. */
function runbook(exch01: string[], steps: string[]): string {
  return yaml(
    'runbook: 1',
    'name: test',
    'servers:',
    '  - name: EXCH01',
    '    exchange: 2003',
    ...exch01.map((line) => '    ' + line),
    '  - name: EXCH02',
    '    exchange: 2003',
    '    servicePack: 2',
    steps.length === 0 ? 'steps: []' : 'steps:',
    ...steps.map((line) => '  ' + line),
  );
}

const MOVE = [
  '- id: move',
  '  action: move-mailboxes',
  '  from: EXCH01',
  '  to: EXCH02',
  '  mailboxes: { count: 10, averageSizeMB: 100 }',
  '  concurrency: 2',
];
const DISABLED_MTA = ['servicePack: 2', 'mta: { service: disabled, gatewayOutThreads: 0 }'];
const hotfixStep = (id: string, server = 'EXCH01') => [
  `- id: ${id}`,
  '  action: install-hotfix',
  `  server: ${server}`,
  '  hotfix: KB924567',
];

describe('EXR001: moves off an exposed Exchange 2003 SP2 server', () => {
  it('fires for MTA disabled, no hotfix, on the `from` value', () => {
    const text = runbook(DISABLED_MTA, MOVE);
    const { diagnostics } = lint(text);
    assert.deepEqual(codes(diagnostics), ['EXR001']);
    assert.equal(covered(text, diagnostics[0]), 'EXCH01');
    assert.match(diagnostics[0].message, /each of the 10 mailboxes/);
  });
  it('fires when only Gateway Out Threads is 0 (the KB810489 sign) and the service runs', () => {
    assert.deepEqual(codes(lint(runbook(['servicePack: 2', 'mta: { service: running, gatewayOutThreads: 0 }'], MOVE)).diagnostics), [
      'EXR001',
    ]);
  });
  it('fires for a stopped MTA service', () => {
    assert.deepEqual(codes(lint(runbook(['servicePack: 2', 'mta: { service: stopped }'], MOVE)).diagnostics), ['EXR001']);
  });
  it('does not fire when the MTA runs (default), on SP1, or with the hotfix and Gateway Out Threads 0', () => {
    assert.deepEqual(lint(runbook(['servicePack: 2'], MOVE)).diagnostics, []);
    assert.deepEqual(lint(runbook(['servicePack: 1', 'mta: { service: disabled, gatewayOutThreads: 0 }'], MOVE)).diagnostics, []);
    assert.deepEqual(lint(runbook([...DISABLED_MTA, 'hotfixes: [KB924567]', 'storeVersion: 6.5.7652.5'], MOVE)).diagnostics, []);
  });
  it('judges each move by the state at that step: a hotfix in step 2 protects step 3, not step 1', () => {
    const steps = [...MOVE, ...hotfixStep('hotfix'), ...MOVE.map((line) => line.replace('id: move', 'id: move-after'))];
    const text = runbook(DISABLED_MTA, steps);
    const { diagnostics } = lint(text);
    assert.deepEqual(codes(diagnostics), ['EXR001']);
    assert.match(diagnostics[0].message, /`move`/);
    assert.equal(diagnostics[0].range.start.line, 13);
  });
  it('follows set-mta and install-service-pack steps', () => {
    const steps = [
      '- id: sp2',
      '  action: install-service-pack',
      '  server: EXCH01',
      '  servicePack: 2',
      '- id: mta-off',
      '  action: set-mta',
      '  server: exch01',
      '  service: disabled',
      '  gatewayOutThreads: 0',
      ...MOVE,
    ];
    assert.deepEqual(codes(lint(runbook(['servicePack: 1'], steps)).diagnostics), ['EXR001']);
    const reenabled = [
      ...steps.slice(0, 9),
      '- id: mta-on',
      '  action: set-mta',
      '  server: EXCH01',
      '  service: running',
      '  gatewayOutThreads: 1',
      ...MOVE,
    ];
    assert.deepEqual(lint(runbook(['servicePack: 1'], reenabled)).diagnostics, []);
  });
});

describe('EXR002: KB924567 needs Exchange 2003 SP2', () => {
  it('fires on SP1, on the hotfix value, and names the service pack', () => {
    const text = runbook(['servicePack: 1'], hotfixStep('hotfix'));
    const { diagnostics } = lint(text);
    assert.deepEqual(codes(diagnostics), ['EXR002']);
    assert.equal(covered(text, diagnostics[0]), 'KB924567');
    assert.match(diagnostics[0].message, /Exchange 2003 SP1/);
  });
  it('does not fire once a service-pack step brought the server to SP2', () => {
    const steps = ['- id: sp2', '  action: install-service-pack', '  server: EXCH01', '  servicePack: 2', ...hotfixStep('hotfix')];
    assert.deepEqual(lint(runbook(['servicePack: 1'], steps)).diagnostics, []);
  });
  it('fires for Exchange 2000 and ignores other hotfixes', () => {
    const text = yaml(
      'runbook: 1',
      'name: t',
      'servers:',
      '  - { name: OLD, exchange: 2000, servicePack: 3 }',
      'steps:',
      ...hotfixStep('h', 'OLD').map((l) => '  ' + l),
    );
    assert.deepEqual(codes(lint(text).diagnostics), ['EXR002']);
    // Only that the KB is unknown (EXR013, information).
    assert.deepEqual(
      codes(
        lint(runbook(['servicePack: 1'], ['- id: h', '  action: install-hotfix', '  server: EXCH01', '  hotfix: KB123456'])).diagnostics,
      ),
      ['EXR013'],
    );
  });
});

describe('EXR003: store restarts during a running move (static schedule)', () => {
  // 10 × 100 MB at 2 × 30 MB/min = 16.7 minutes, from 22:00.
  const timedMove = [...MOVE, '  start: 2026-12-05T22:00:00Z'];
  it('fires for a hotfix scheduled inside the move window, on its `start`', () => {
    const text = runbook(['servicePack: 2'], [...timedMove, ...hotfixStep('hotfix'), '  start: 2026-12-05T22:10:00Z']);
    const { diagnostics } = lint(text);
    assert.deepEqual(codes(diagnostics), ['EXR003']);
    assert.equal(covered(text, diagnostics[0]), '2026-12-05T22:10:00Z');
    assert.equal(diagnostics[0].severity, 'warning');
  });
  it('fires for a reboot or service restart of the target server too', () => {
    const reboot = ['- id: reboot', '  action: reboot', '  server: EXCH02', '  start: 2026-12-05T22:05:00Z'];
    assert.deepEqual(codes(lint(runbook(['servicePack: 2'], [...timedMove, ...reboot])).diagnostics), ['EXR003']);
    const restart = [
      '- id: restart',
      '  action: restart-services',
      '  server: EXCH02',
      '  services: [MSExchangeIS]',
      '  start: 2026-12-05T22:05:00Z',
    ];
    assert.deepEqual(codes(lint(runbook(['servicePack: 2'], [...timedMove, ...restart])).diagnostics), ['EXR003']);
  });
  it('does not fire after the move ends, or for an unrelated server', () => {
    assert.deepEqual(
      lint(runbook(['servicePack: 2'], [...timedMove, ...hotfixStep('hotfix'), '  start: 2026-12-05T22:20:00Z'])).diagnostics,
      [],
    );
    assert.deepEqual(lint(runbook(['servicePack: 2'], [...timedMove, ...hotfixStep('hotfix')])).diagnostics, [], 'chained after the move');
    const other = yaml(
      'runbook: 1',
      'name: t',
      'servers:',
      '  - { name: A, exchange: 2003, servicePack: 2 }',
      '  - { name: B, exchange: 2003, servicePack: 2 }',
      '  - { name: C, exchange: 2003, servicePack: 2 }',
      'steps:',
      '  - { id: m, action: move-mailboxes, from: A, to: B, mailboxes: { count: 10, averageSizeMB: ' +
        '100 }, concurrency: 1, start: "2026-12-05T22:00:00Z" }',
      '  - { id: r, action: reboot, server: C, start: "2026-12-05T22:05:00Z" }',
    );
    assert.deepEqual(lint(other).diagnostics, []);
  });
});

describe('EXR004: hotfix in, MTA disabled, Gateway Out Threads not 0', () => {
  it('fires on the move, not EXR001', () => {
    const text = runbook(['servicePack: 2', 'hotfixes: [KB924567]', 'mta: { service: disabled, gatewayOutThreads: 2 }'], MOVE);
    const { diagnostics } = lint(text);
    assert.deepEqual(codes(diagnostics), ['EXR004']);
    assert.equal(covered(text, diagnostics[0]), 'EXCH01');
  });
  it('does not fire when Gateway Out Threads is 0 or the MTA runs', () => {
    assert.deepEqual(
      lint(runbook(['servicePack: 2', 'hotfixes: [KB924567]', 'mta: { service: disabled, gatewayOutThreads: 0 }'], MOVE)).diagnostics,
      [],
    );
    assert.deepEqual(
      lint(runbook(['servicePack: 2', 'hotfixes: [KB924567]', 'mta: { service: running, gatewayOutThreads: 1 }'], MOVE)).diagnostics,
      [],
    );
  });
  it('a set-mta step before the move clears it', () => {
    const steps = ['- id: got0', '  action: set-mta', '  server: EXCH01', '  gatewayOutThreads: 0', ...MOVE];
    assert.deepEqual(lint(runbook(['servicePack: 2', 'hotfixes: [KB924567]', 'mta: { service: disabled }'], steps)).diagnostics, []);
  });
});

describe('EXR006: store version contradicts the inventory', () => {
  it('fires for KB924567 listed with an older store.exe, on storeVersion', () => {
    const text = runbook(['servicePack: 2', 'hotfixes: [KB924567]', 'storeVersion: 6.5.7638.1'], []);
    const { diagnostics } = lint(text);
    assert.deepEqual(codes(diagnostics), ['EXR006']);
    assert.equal(covered(text, diagnostics[0]), '6.5.7638.1');
  });
  it('fires for an SP1 build on a server declared SP2, and for a non-2003 build', () => {
    assert.deepEqual(codes(lint(runbook(['servicePack: 2', 'storeVersion: 6.5.7226.0'], [])).diagnostics), ['EXR006']);
    assert.deepEqual(codes(lint(runbook(['servicePack: 2', 'storeVersion: 8.1.240.5'], [])).diagnostics), ['EXR006']);
  });
  it('accepts hotfix builds within a service pack', () => {
    assert.deepEqual(lint(runbook(['servicePack: 2', 'storeVersion: 6.5.7638.1'], [])).diagnostics, []);
    assert.deepEqual(lint(runbook(['servicePack: 2', 'hotfixes: [KB924567]', 'storeVersion: 6.5.7652.5'], [])).diagnostics, []);
  });
});

describe('EXR007: reboot right after KB924567', () => {
  it('fires as information on the reboot', () => {
    const text = runbook(['servicePack: 2'], [...hotfixStep('hotfix'), '- id: reboot', '  action: reboot', '  server: EXCH01']);
    const { diagnostics } = lint(text);
    assert.deepEqual(codes(diagnostics), ['EXR007']);
    assert.equal(diagnostics[0].severity, 'information');
    assert.equal(covered(text, diagnostics[0]), 'reboot');
  });
  it('does not fire for a reboot of another server or after another step', () => {
    assert.deepEqual(
      lint(runbook(['servicePack: 2'], [...hotfixStep('hotfix'), '- id: reboot', '  action: reboot', '  server: EXCH02'])).diagnostics,
      [],
    );
    assert.deepEqual(lint(runbook(['servicePack: 2'], ['- id: reboot', '  action: reboot', '  server: EXCH01'])).diagnostics, []);
  });
});

describe('EXR010–EXR012: names', () => {
  it('EXR010: an undeclared server, with a did-you-mean', () => {
    const text = runbook(
      ['servicePack: 2'],
      MOVE.map((line) => line.replace('to: EXCH02', 'to: EXCH2')),
    );
    const { diagnostics } = lint(text);
    assert.deepEqual(codes(diagnostics), ['EXR010']);
    assert.equal(covered(text, diagnostics[0]), 'EXCH2');
    assert.match(diagnostics[0].message, /did you mean EXCH02\?/);
  });
  it('EXR010: names compare case-insensitively', () => {
    assert.deepEqual(
      lint(
        runbook(
          ['servicePack: 2'],
          MOVE.map((line) => line.replace('to: EXCH02', 'to: exch02')),
        ),
      ).diagnostics,
      [],
    );
  });
  it('EXR011: duplicate step ids and server names, on the second one', () => {
    const text = runbook(['servicePack: 2'], [...hotfixStep('same'), ...hotfixStep('same')]);
    const { diagnostics } = lint(text);
    assert.deepEqual(codes(diagnostics), ['EXR011']);
    assert.equal(diagnostics[0].range.start.line, 14);
    assert.equal(diagnostics[0].related?.[0].range.start.line, 10);
    const servers = yaml(
      'runbook: 1',
      'name: t',
      'servers:',
      '  - { name: A, exchange: 2003 }',
      '  - { name: a, exchange: 2003 }',
      'steps: []',
    );
    assert.deepEqual(codes(lint(servers).diagnostics), ['EXR011']);
  });
  it('EXR012: from and to are the same server, on `to`', () => {
    const text = runbook(
      ['servicePack: 2'],
      MOVE.map((line) => line.replace('to: EXCH02', 'to: exch01')),
    );
    const { diagnostics } = lint(text);
    assert.deepEqual(codes(diagnostics), ['EXR012']);
    assert.equal(covered(text, diagnostics[0]), 'exch01');
  });
});

describe('suppressions', () => {
  const exposed = (comment: string) => runbook(DISABLED_MTA, [comment, ...MOVE]);
  it('`# exrunbook-disable-next-line EXR001` before a step silences that code for the step', () => {
    assert.deepEqual(lint(exposed('# exrunbook-disable-next-line EXR001')).diagnostics, []);
  });
  it('a suppression of another code leaves EXR001 and is itself reported (EXR102)', () => {
    const { diagnostics } = lint(exposed('# exrunbook-disable-next-line EXR003'));
    assert.deepEqual(codes(diagnostics), ['EXR102', 'EXR001']);
    assert.match(diagnostics[0].message, /EXR003/);
  });
  it('an unknown code is reported', () => {
    assert.match(lint(runbook(DISABLED_MTA, ['# exrunbook-disable-next-line EXR999', ...MOVE])).diagnostics[0].message, /not a rule code/);
  });
  it('severity settings change or turn off a rule', () => {
    const text = exposed('');
    assert.equal(lintText(text, { severities: { EXR001: 'warning' } }).diagnostics[0].severity, 'warning');
    assert.deepEqual(lintText(text, { severities: { EXR001: 'off' } }).diagnostics, []);
  });
});

describe('steps that are not mappings', () => {
  it('keep their place: rules and the schedule stay aligned with the steps (EXR003 after a text item)', () => {
    const text = yaml(
      'runbook: 1',
      'name: t',
      'servers:',
      '  - { name: A, exchange: 2003, servicePack: 2 }',
      '  - { name: B, exchange: 2003, servicePack: 2 }',
      'steps:',
      '  - just text',
      '  - { id: r, action: reboot, server: A }',
      '  - { id: m, action: move-mailboxes, from: A, to: B, mailboxes: { count: 1, averageSizeMB: 1 }, concurrency: 1 }',
    );
    const { diagnostics } = lint(text);
    assert.deepEqual(codes(diagnostics), ['EXR100']);
    assert.equal(covered(text, diagnostics[0]), 'just text');
  });
});
