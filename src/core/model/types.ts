import type { Span } from '../diagnostics';

/** A value read from the runbook with where it stands in the text. */
export interface Field<T> {
  value: T;
  /** The value node. */
  span: Span;
  /** The key node (`from:`), when the value is a mapping entry. */
  keySpan?: Span;
}

/** The step actions; what each does is model/actions.ts (ACTION_TABLE, whose keys are the runtime list). */
export type ActionName =
  | 'move-mailboxes'
  | 'install-hotfix'
  | 'install-service-pack'
  | 'set-mta'
  | 'restart-services'
  | 'reboot'
  | 'wait'
  | 'create-database'
  | 'set-database';

export type MtaService = 'running' | 'stopped' | 'disabled';
export type ExchangeVersion = 2000 | 2003 | 2007 | 2010;
export type Edition = 'standard' | 'enterprise';
export type DatabaseKind = 'mailbox' | 'public';

/** A database declared under a server's `storageGroups` (model/databases.ts carries it through the steps). */
export interface DatabaseDecl {
  span: Span;
  name?: Field<string>;
  storageGroup?: Field<string>;
  kind?: Field<DatabaseKind>;
  sizeGB?: Field<number>;
  sizeLimitGB?: Field<number>;
  gatewayInThreads?: Field<number>;
  gatewayOutThreads?: Field<number>;
}

/** `mailboxOrder`: the order a move's listed mailboxes go in. Equal sizes (`{ count, averageSizeMB }`) make it moot. */
export type MailboxOrder = 'as-listed' | 'largest-first' | 'largest-last';

export const MAILBOX_ORDERS: readonly MailboxOrder[] = ['as-listed', 'largest-first', 'largest-last'];

export interface MailboxSet {
  count: number;
  totalMB: number;
  /** Individual sizes when the runbook lists the mailboxes; absent for `{ count, averageSizeMB }`. */
  sizesMB?: number[];
  averageSizeMB: number;
  /** The mailboxes' names, when a mailbox list file gives them (same order as sizesMB). */
  names?: string[];
}

export interface ServerLoad {
  localDeliveryPerMinute?: Field<number>;
  deliveryServiceMs?: Field<number>;
  owaRequestsPerMinute?: Field<number>;
  owaServiceMs?: Field<number>;
}

/** A server as declared under `servers`. Fields with wrong types are left out (the schema reports them). */
export interface ServerDecl {
  index: number;
  span: Span;
  name?: Field<string>;
  exchange?: Field<number>;
  servicePack?: Field<number>;
  storeVersion?: Field<string>;
  hotfixes: Field<string>[];
  mtaService?: Field<MtaService>;
  gatewayOutThreads?: Field<number>;
  /** The `gatewayOutThreads` key's mapping (`mta:`), for edits that add the value. */
  mtaSpan?: Span;
  taskThreads?: Field<number>;
  load: ServerLoad;
  edition?: Field<Edition>;
  /** The databases of every storage group, in order; absent when the server declares none. */
  databases?: DatabaseDecl[];
}

/** One step. Every action's fields are optional here; which apply depends on `action`. */
export interface Step {
  /** Position in `steps`: `runbook.steps[index]` is this step (items that are not mappings keep their place). */
  index: number;
  /** The whole sequence item, from its `-` to the end of its last value. */
  span: Span;
  /** Offset of the `-` that opens the item. */
  itemStart: number;
  id?: Field<string>;
  action?: Field<ActionName>;
  title?: Field<string>;
  notes?: Field<string>;
  /** Epoch milliseconds. */
  start?: Field<number>;
  server?: Field<string>;
  from?: Field<string>;
  to?: Field<string>;
  hotfix?: Field<string>;
  servicePack?: Field<number>;
  service?: Field<MtaService>;
  gatewayOutThreads?: Field<number>;
  services?: Field<string[]>;
  /** Minutes. */
  duration?: Field<number>;
  mailboxes?: Field<MailboxSet>;
  /** `mailboxes: { file }`: the list file as written; `mailboxes` is filled from its text when the adapter read it. */
  mailboxFile?: Field<string>;
  concurrency?: Field<number>;
  throughputMBPerMinute?: Field<number>;
  /** The order a listed move's mailboxes go in (absent: as listed). */
  mailboxOrder?: Field<MailboxOrder>;
  fromDatabase?: Field<string>;
  toDatabase?: Field<string>;
  /** create-database, set-database. */
  database?: Field<string>;
  storageGroup?: Field<string>;
  kind?: Field<DatabaseKind>;
  sizeLimitGB?: Field<number>;
  gatewayInThreads?: Field<number>;
}

export type ServiceTimeDistribution = 'exponential' | 'deterministic';

export interface SimulationSettings {
  seed?: Field<number>;
  /** Minutes. */
  flushTimeout?: Field<number>;
  serviceTime?: Field<ServiceTimeDistribution>;
  /** Minutes. */
  sampleInterval?: Field<number>;
  /** Minutes. */
  duration?: Field<number>;
  /** Minutes. */
  owaTimeout?: Field<number>;
  maxEvents?: Field<number>;
}

/**
 * When work is allowed (`window:`): every day between two clock times in a time zone, and/or
 * explicit intervals. Times are resolved by model/window.ts.
 */
export interface MaintenanceWindow {
  /** The `window:` mapping. */
  span: Span;
  keySpan?: Span;
  /** An IANA time zone name for `daily`; UTC when absent. */
  timeZone?: Field<string>;
  /** Minutes after local midnight; `to` at or before `from` closes the next day (22:00–06:00). */
  daily?: { from: Field<number>; to: Field<number>; span: Span };
  /** Explicit intervals, epoch ms; an interval whose end is not after its start is left out. */
  intervals: { start: Field<number>; end: Field<number>; span: Span }[];
}

export interface Runbook {
  version?: Field<number>;
  name?: Field<string>;
  description?: Field<string>;
  servers: ServerDecl[];
  /** The `servers:` sequence, when present. */
  serversSpan?: Span;
  steps: Step[];
  /** The `steps:` sequence, when present. */
  stepsSpan?: Span;
  simulation: SimulationSettings;
  /** The maintenance window, when the runbook declares one. */
  window?: MaintenanceWindow;
}

/** A server's state at one point of the runbook: what the rules and the simulator judge by. */
export interface ServerState {
  name: string;
  exchange?: number;
  servicePack: number;
  storeVersion?: string;
  /** Upper-case KB ids. */
  hotfixes: ReadonlySet<string>;
  mtaService: MtaService;
  gatewayOutThreads: number;
  edition?: Edition;
  /** The server's databases at this point, by databaseKey(name); absent when it declares and creates none (one store). */
  databases?: DatabaseStates;
}

/** One database's state at one point of the runbook (model/databases.ts). */
export interface DatabaseState {
  name: string;
  storageGroup?: string;
  kind: DatabaseKind;
  sizeGB: number;
  /** The runbook's "Database Size Limit in GB"; undefined: the default for the edition and service pack. */
  sizeLimitGB?: number;
  gatewayInThreads: number;
  gatewayOutThreads: number;
  /** Where it is defined: the inventory declaration, or the create-database step (its index). */
  createdBy?: number;
}

export type DatabaseStates = ReadonlyMap<string, DatabaseState>;

/**
 * Server names compare as Windows compares NetBIOS names: ASCII letters without regard to case,
 * every other character as itself. `toUpperCase` would fold `ı` (dotless i) and `ſ` into I and S,
 * so `exchı01` would name EXCHI01.
 */
export function serverKey(name: string): string {
  // Most names are written upper-case already: no replace (it is called for every step after every edit).
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if (code >= 97 && code <= 122) return name.replace(/[a-z]+/g, (letters) => letters.toUpperCase());
  }
  return name;
}
