/**
 * Databases (stores) of a server, carried through the steps inside its ServerState
 * (`state.databases`). A server that declares no storage groups and creates no database is one
 * store, judged by its server-level values exactly as before databases existed in the format.
 *
 * What KB810489 says about them: Gateway In Threads and Gateway Out Threads are set per database
 * (registry, under MSExchangeIS\<server>\<database>), to 0 on every database when the MTA is
 * disabled, and again on every database created later. A database created without them has the
 * default, 1 (F12).
 */
import { STANDARD_EDITION_LIMIT_GB } from './facts';
import type { MailboxSet, DatabaseState, DatabaseStates, ServerDecl, ServerState, Step } from './types';
import { serverKey } from './types';

/** Database names compare as server names do: ASCII letters without regard to case (serverKey). */
export const databaseKey = serverKey;

/** A database without its own value has the registry default: 1 (KB810489 asks for 0). */
export const DEFAULT_GATEWAY_THREADS = 1;

/** The databases a server declares, as its state before the first step; undefined when it declares none. */
export function inventoryDatabases(server: ServerDecl): DatabaseStates | undefined {
  if (!server.databases) return undefined;
  const databases = new Map<string, DatabaseState>();
  for (const db of server.databases) {
    if (!db.name) continue;
    const key = databaseKey(db.name.value);
    if (databases.has(key)) continue; // the first declaration of a name counts
    databases.set(key, {
      name: db.name.value,
      storageGroup: db.storageGroup?.value,
      kind: db.kind?.value ?? 'mailbox',
      sizeGB: db.sizeGB?.value ?? 0,
      sizeLimitGB: db.sizeLimitGB?.value,
      gatewayInThreads: db.gatewayInThreads?.value ?? DEFAULT_GATEWAY_THREADS,
      // The server-level value (mta.gatewayOutThreads) stands for every database that gives none, as it did before.
      gatewayOutThreads: db.gatewayOutThreads?.value ?? server.gatewayOutThreads?.value ?? DEFAULT_GATEWAY_THREADS,
    });
  }
  return databases.size > 0 ? databases : undefined;
}

/** The database a step names on a server at that point, or undefined (not declared, not yet created, or no databases). */
export function databaseNamed(state: ServerState, name: string | undefined): DatabaseState | undefined {
  return name === undefined ? undefined : state.databases?.get(databaseKey(name));
}

/** The server's mailbox databases at this point. */
export function mailboxDatabases(state: ServerState): DatabaseState[] {
  return [...(state.databases?.values() ?? [])].filter((db) => db.kind === 'mailbox');
}

/**
 * The database a move takes mailboxes out of (`side` 'from') or into ('to'): the one it names, or
 * the server's only mailbox database; undefined when the server has none or several and the move
 * names none (or names one that does not exist at that step).
 */
export function moveDatabase(state: ServerState, step: Step, side: 'from' | 'to'): DatabaseState | undefined {
  const named = side === 'from' ? step.fromDatabase : step.toDatabase;
  if (named) return databaseNamed(state, named.value);
  const mailbox = mailboxDatabases(state);
  return mailbox.length === 1 ? mailbox[0] : undefined;
}

function withDatabase(state: ServerState, db: DatabaseState): ServerState {
  const databases = new Map(state.databases ?? []);
  databases.set(databaseKey(db.name), db);
  return { ...state, databases };
}

/** create-database: a new, empty database with the values the step gives, else Gateway In/Out Threads 1 (F12). */
export function createDatabaseEffect(step: Step, state: ServerState): ServerState {
  if (!step.database || databaseNamed(state, step.database.value)) return state; // an existing name: nothing new
  return withDatabase(state, {
    name: step.database.value,
    storageGroup: step.storageGroup?.value,
    kind: step.kind?.value ?? 'mailbox',
    sizeGB: 0,
    sizeLimitGB: step.sizeLimitGB?.value,
    gatewayInThreads: step.gatewayInThreads?.value ?? DEFAULT_GATEWAY_THREADS,
    gatewayOutThreads: step.gatewayOutThreads?.value ?? DEFAULT_GATEWAY_THREADS,
    createdBy: step.index,
  });
}

/** set-database: the values the step gives on the one database it names; a database that does not exist changes nothing. */
export function setDatabaseEffect(step: Step, state: ServerState): ServerState {
  const db = databaseNamed(state, step.database?.value);
  if (!db || (!step.gatewayInThreads && !step.gatewayOutThreads && !step.sizeLimitGB)) return state;
  return withDatabase(state, {
    ...db,
    gatewayInThreads: step.gatewayInThreads?.value ?? db.gatewayInThreads,
    gatewayOutThreads: step.gatewayOutThreads?.value ?? db.gatewayOutThreads,
    sizeLimitGB: step.sizeLimitGB?.value ?? db.sizeLimitGB,
  });
}

/** set-mta with gatewayOutThreads: the value on every database that exists then, as the server-level value always meant. */
export function setEveryGatewayOut(state: ServerState, value: number): DatabaseStates | undefined {
  if (!state.databases) return undefined;
  const databases = new Map<string, DatabaseState>();
  for (const [key, db] of state.databases) databases.set(key, db.gatewayOutThreads === value ? db : { ...db, gatewayOutThreads: value });
  return databases;
}

/** GB a set of mailboxes takes (1 GB = 1,024 MB). */
export function mailboxesGB(mailboxes: MailboxSet): number {
  return mailboxes.totalMB / 1024;
}

/**
 * A move's effect on the databases of one end (`state` is the source, the target or both): the
 * mailboxes' size leaves the source database and arrives in the target one. A move between
 * servers without databases, or into a database the model cannot resolve, changes nothing.
 */
export function moveDatabasesEffect(step: Step, state: ServerState): ServerState {
  if (!state.databases || !step.mailboxes || !step.from || !step.to) return state;
  const key = serverKey(state.name);
  const gb = mailboxesGB(step.mailboxes.value);
  let next = state;
  if (serverKey(step.from.value) === key) {
    const source = moveDatabase(next, step, 'from');
    if (source) next = withDatabase(next, { ...source, sizeGB: Math.max(0, source.sizeGB - gb) });
  }
  if (serverKey(step.to.value) === key) {
    const target = moveDatabase(next, step, 'to');
    if (target) next = withDatabase(next, { ...target, sizeGB: target.sizeGB + gb });
  }
  return next;
}

/**
 * The Gateway Out Threads value that decides a move's flushes (KB924567 per database, F10/F12):
 * the source database's; with several mailbox databases and none named, the first that is not 0
 * (any of them may hold the mailboxes); without databases, the server's value, as always.
 */
export function moveGatewayOut(state: ServerState, step: Step): { value: number; database?: DatabaseState } {
  if (!state.databases) return { value: state.gatewayOutThreads };
  const named = moveDatabase(state, step, 'from');
  if (named) return { value: named.gatewayOutThreads, database: named };
  if (step.fromDatabase) return { value: state.gatewayOutThreads }; // a name that does not exist (EXR010): the server's value
  const exposed = mailboxDatabases(state).find((db) => db.gatewayOutThreads !== 0);
  return exposed ? { value: exposed.gatewayOutThreads, database: exposed } : { value: 0 };
}

/** A Standard Edition database's size limit at this state, GB, and where the number comes from (U4); undefined on Enterprise or unknown editions. */
export function standardEditionLimit(state: ServerState, db: DatabaseState): { gb: number; source: string } | undefined {
  if (state.edition !== 'standard' || (state.exchange !== 2003 && state.exchange !== 2000)) return undefined;
  if (state.exchange === 2000 || state.servicePack < 2) {
    return { gb: STANDARD_EDITION_LIMIT_GB.beforeSp2, source: 'the fixed limit of Standard Edition before Exchange 2003 SP2' };
  }
  if (db.sizeLimitGB !== undefined) return { gb: db.sizeLimitGB, source: 'its Database Size Limit in GB' };
  return { gb: STANDARD_EDITION_LIMIT_GB.sp2Default, source: 'the SP2 default, as no sizeLimitGB is given' };
}
