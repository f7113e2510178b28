/** Runbook texts the feature tests share. Each states what the linter finds in it. */
import { yaml } from '../../support';

/** EXR002: KB924567 on an Exchange 2003 SP1 server; EXR007: a reboot right after it. */
export const SP1_HOTFIX_THEN_REBOOT = yaml(
  'runbook: 1',
  'name: Tailspin — hotfix on SP1',
  'servers:',
  '  - name: TS-MBX1   # the old box',
  '    exchange: 2003',
  '    servicePack: 1',
  '  - name: TS-MBX2',
  '    exchange: 2003',
  '    servicePack: 2',
  'steps:',
  '  # the store fix first',
  '  - id: hotfix',
  '    action: install-hotfix   # KB924567',
  '    server: TS-MBX1',
  '    hotfix: KB924567',
  '  - id: reboot-after',
  '    action: reboot',
  '    server: TS-MBX1',
  '  - id: settle',
  '    action: wait',
  '    duration: 30m',
);

/** EXR010: `EXHC02` is a typo of EXCH02. */
export const TYPO_SERVER = yaml(
  'runbook: 1',
  'name: typo',
  'servers:',
  '  - name: EXCH01',
  '    exchange: 2003',
  '    servicePack: 2',
  '  - name: EXCH02',
  '    exchange: 2003',
  '    servicePack: 2',
  'steps:',
  '  - id: wave1',
  '    action: move-mailboxes',
  '    from: EXCH01',
  '    to: EXHC02 # typo',
  '    mailboxes: { count: 10, averageSizeMB: 100 }',
  '    concurrency: 2',
);

/** EXR001 on `wave1`: the MTA was disabled by a set-mta step that left Gateway Out Threads at its default 1. */
export const MTA_STOPPED_BY_STEP = yaml(
  'runbook: 1',
  'name: stopped by a step',
  'servers:',
  '  - name: EXCH01',
  '    exchange: 2003',
  '    servicePack: 2',
  '  - name: EXCH02',
  '    exchange: 2003',
  '    servicePack: 2',
  'steps:',
  '  - id: mta-off',
  '    action: set-mta',
  '    server: EXCH01',
  '    service: stopped',
  '  - id: wave1',
  '    action: move-mailboxes',
  '    from: EXCH01',
  '    to: EXCH02',
  '    mailboxes: { count: 40, averageSizeMB: 100 }',
  '    concurrency: 4',
);

/** EXR001 with steps written as a flow sequence, and servers as flow mappings without `mta`. */
export const FLOW_STEPS = yaml(
  'runbook: 1',
  'name: flow',
  'servers:',
  '  - { name: EXCH01, exchange: 2003, servicePack: 2, mta: { service: disabled } }',
  '  - { name: EXCH02, exchange: 2003, servicePack: 2 }',
  'steps: [',
  '  { id: wave1, action: move-mailboxes, from: EXCH01, to: EXCH02, mailboxes: { count: 5, averageSizeMB: 10 }, concurrency: 1 }',
  ']',
);

/** EXR001, block steps indented with four spaces after the dash and no indentation of the sequence. */
export const INDENTLESS_STEPS = yaml(
  'runbook: 1',
  'name: indentless',
  'servers:',
  '- name: EXCH01',
  '  exchange: 2003',
  '  servicePack: 2',
  '  mta:',
  '    service: disabled',
  '- name: EXCH02',
  '  exchange: 2003',
  '  servicePack: 2',
  'steps:',
  '-   id: wave1',
  '    action: move-mailboxes',
  '    from: EXCH01',
  '    to: EXCH02',
  '    mailboxes:',
  '      - { alias: ann, sizeMB: 100 }',
  '    concurrency: 1',
);

export function crlf(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}
