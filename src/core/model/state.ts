import { unchangedEnds } from '../arrays';
import { stepEffect } from './actions';
import { inventoryDatabases, moveGatewayOut } from './databases';
import { isExchange2003Sp2, KB924567 } from './facts';
import type { DatabaseState, Runbook, ServerDecl, ServerState, Step } from './types';
import { serverKey } from './types';

export type ServerStates = ReadonlyMap<string, ServerState>;

/** The state each declared server starts in, from the inventory (`servers`). Keyed by serverKey(name). */
export function initialStates(runbook: Runbook): Map<string, ServerState> {
  const states = new Map<string, ServerState>();
  for (const server of runbook.servers) {
    if (!server.name) continue;
    const key = serverKey(server.name.value);
    if (!states.has(key)) states.set(key, inventoryState(server));
  }
  return states;
}

/** One server's state from its inventory entry. */
export function inventoryState(server: ServerDecl): ServerState {
  return {
    name: server.name!.value,
    exchange: server.exchange?.value,
    servicePack: server.servicePack?.value ?? 0,
    storeVersion: server.storeVersion?.value,
    hotfixes: new Set(server.hotfixes.map((kb) => kb.value.toUpperCase())),
    mtaService: server.mtaService?.value ?? 'running',
    gatewayOutThreads: server.gatewayOutThreads?.value ?? 1,
    ...optionalDatabaseState(server),
  };
}

/** Edition and databases only when declared, so a server without them has exactly the state it always had. */
function optionalDatabaseState(server: ServerDecl): Partial<ServerState> {
  const databases = inventoryDatabases(server);
  return { ...(server.edition ? { edition: server.edition.value } : {}), ...(databases ? { databases } : {}) };
}

/** The servers a step names (server, from, to), as keys. */
export function serversOfStep(step: Step): string[] {
  const names = [step.server, step.from, step.to].filter((field) => field !== undefined).map((field) => serverKey(field!.value));
  return [...new Set(names)];
}

/** The servers a move changes (their databases' sizes), as keys; none for any other step. */
function movedServers(step: Step): string[] {
  if (step.action?.value !== 'move-mailboxes' || !step.from || !step.to) return [];
  const from = serverKey(step.from.value);
  const to = serverKey(step.to.value);
  return from === to ? [from] : [from, to];
}

/** What a step does to its server's state (model/actions.ts; docs/runbook-format.md, "Actions"). Returns a new state, or the same one. */
export function applyStep(state: ServerState, step: Step): ServerState {
  return stepEffect(step, state).state;
}

/**
 * Carries every server's state through the steps in order.
 * `before[i]` is the state of all servers when step i begins; `after` is the state once all have run.
 */
export interface StateTimeline {
  before: ServerStates[];
  after: ServerStates;
}

/**
 * What `statesThroughSteps` remembers between calls, so that after an edit it recomputes only from
 * the edited step until the states meet the ones it had before (the incremental analyzer keeps one
 * per document). Per step object: the index it had, and for each server it changes, the state it
 * was given and the state it left. A step whose input state is the same object as last time gives
 * the same output object without running its effect; one whose input is equal but not the same
 * object (the chain after an edited step) takes last time's input object back into the timeline, so
 * from there on every state is the object it was, and the rules' per-step caches (lint.ts), keyed
 * by state objects, hold again.
 */
export class StateCache {
  /** The inventory states of the last call, by server key: equal ones are reused as they are. */
  initial = new Map<string, ServerState>();
  readonly steps = new WeakMap<Step, StepStateMemo>();
  /** The last call's steps and timeline: its snapshots before and after the edited stretch are reused as they are. */
  last?: { steps: readonly Step[]; timeline: StateTimeline; slots: ReadonlyMap<string, number>; special: readonly number[] };
}

interface StepStateMemo {
  index: number;
  /** A list file's mailboxes are set on the step again at each analysis (rules/exr009.ts): a new object is a new input. */
  mailboxes: Step['mailboxes'];
  keys: string[];
  inputs: ServerState[];
  outputs: ServerState[];
}

export function statesThroughSteps(runbook: Runbook, cache?: StateCache): StateTimeline {
  const initial = initialStates(runbook);
  if (cache) {
    for (const [key, state] of initial) {
      const known = cache.initial.get(key);
      if (known && sameState(known, state)) initial.set(key, known);
    }
    cache.initial = initial;
  }
  const steps = runbook.steps;
  const last = cache?.last;
  const reuse = last !== undefined && sameInitial(last.timeline, last.slots, initial);
  const slots = reuse ? last.slots : new Map<string, number>();
  if (!reuse) for (const key of initial.keys()) (slots as Map<string, number>).set(key, slots.size);
  let current = StateSnapshot.of(slots, [...initial.values()]);
  let before: ServerStates[] = [];
  let first = 0;
  let suffixStart = steps.length;
  let shift = 0;
  const old = last?.steps ?? [];
  // The steps the same objects as last time before and after the edit (pointer comparisons only).
  const [head, tail] = unchangedEnds(old, steps);
  // The steps with a list file or whose effect reads their index, by position: last time's outside the edit.
  const special: number[] = [];
  if (last) for (const at of last.special) if (at < head) special.push(at);
  if (cache) for (let i = head; i < steps.length - tail; i++) if (isSpecial(steps[i])) special.push(i);
  if (last) for (const at of last.special) if (at >= old.length - tail) special.push(at + steps.length - old.length);
  if (reuse) {
    // The unchanged steps before the edit (up to the first with a list file): their snapshots are last time's.
    first = head;
    for (const at of special) if (at < first && steps[at].mailboxFile) first = at;
    before = last.timeline.before.slice(0, first);
    current = (first < old.length ? last.timeline.before[first] : last.timeline.after) as StateSnapshot;
    // The unchanged steps after it: once the state meets last time's there, so do all later ones
    // (none after it with a list file, nor, when steps moved, one whose effect reads its index).
    shift = steps.length - old.length;
    suffixStart = Math.max(first, steps.length - tail, first + shift);
    for (const at of special) {
      if (at >= suffixStart && (steps[at].mailboxFile || shift !== 0)) suffixStart = at + 1;
    }
  }
  let after: ServerStates | undefined;
  for (let i = first; i < steps.length; i++) {
    const step = steps[i];
    if (i >= suffixStart && current.sameAs(last!.timeline.before[i - shift])) {
      const rest = last!.timeline.before;
      for (let j = i - shift; j < rest.length; j++) before.push(rest[j]);
      after = last!.timeline.after;
      break;
    }
    // A step acts on its `server`; a move on its `from` and `to` (their databases: model/databases.ts).
    const keys = step.server ? [serverKey(step.server.value)] : movedServers(step);
    if (keys.length === 0) {
      before.push(current);
      continue;
    }
    const memo = cache?.steps.get(step);
    const known = memo !== undefined && memo.mailboxes === step.mailboxes && sameKeys(memo.keys, keys);
    // Its outputs stand while its position does, or while its effect does not read its position.
    const usable = known && (memo.index === step.index || !readsItsIndex(step));
    if (known) {
      // Meeting the cached state again: an equal state becomes the very object it was.
      for (let j = 0; j < keys.length; j++) {
        const slot = slots.get(keys[j]);
        const state = slot === undefined ? undefined : current.at(slot);
        const known = memo.inputs[j];
        if (state && known && state !== known && sameState(state, known)) current = current.with(slot!, known);
      }
    }
    before.push(current);
    let fresh: StepStateMemo | undefined;
    for (let j = 0; j < keys.length; j++) {
      const slot = slots.get(keys[j]);
      const state = slot === undefined ? undefined : current.at(slot);
      if (!state) continue;
      let next: ServerState;
      if (usable && memo.inputs[j] === state) {
        next = memo.outputs[j];
      } else {
        next = applyStep(state, step);
        if (cache) {
          fresh ??= {
            index: step.index,
            mailboxes: step.mailboxes,
            keys,
            inputs: usable ? [...memo.inputs] : [],
            outputs: usable ? [...memo.outputs] : [],
          };
          fresh.inputs[j] = state;
          fresh.outputs[j] = next;
        }
      }
      if (next !== state) current = current.with(slot!, next);
    }
    if (fresh) cache!.steps.set(step, fresh);
  }
  const timeline = { before, after: after ?? current };
  if (cache) cache.last = { steps, timeline, slots, special };
  return timeline;
}

/** A step whose snapshots cannot be last time's for its identity alone: a list file's mailboxes, or an effect that reads its position. */
function isSpecial(step: Step): boolean {
  return step.mailboxFile !== undefined || readsItsIndex(step);
}

/** Whether a step's effect reads its own position (a created database records the step that created it). */
function readsItsIndex(step: Step): boolean {
  return step.action?.value === 'create-database';
}

/** Whether the inventory states are last time's objects, server for server in the same order. */
function sameInitial(timeline: StateTimeline, slots: ReadonlyMap<string, number>, initial: Map<string, ServerState>): boolean {
  const start = (timeline.before[0] ?? timeline.after) as StateSnapshot;
  if (slots.size !== initial.size) return false;
  let i = 0;
  for (const [key, state] of initial) {
    if (slots.get(key) !== i || start.at(i) !== state) return false;
    i++;
  }
  return true;
}

/** Servers per chunk of a snapshot: a step that changes a server copies one chunk and the list of chunks. */
const CHUNK = 64;

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Whether two server states say the same thing, field by field (hotfixes and databases in order). */
export function sameState(a: ServerState, b: ServerState): boolean {
  if (a === b) return true;
  if (
    a.name !== b.name ||
    a.exchange !== b.exchange ||
    a.servicePack !== b.servicePack ||
    a.storeVersion !== b.storeVersion ||
    a.mtaService !== b.mtaService ||
    a.gatewayOutThreads !== b.gatewayOutThreads ||
    a.edition !== b.edition ||
    'edition' in a !== 'edition' in b ||
    'databases' in a !== 'databases' in b
  )
    return false;
  if (!sameKeysOf(a, b)) return false;
  if (a.hotfixes !== b.hotfixes) {
    if (a.hotfixes.size !== b.hotfixes.size) return false;
    const left = [...a.hotfixes];
    const right = [...b.hotfixes];
    for (let i = 0; i < left.length; i++) if (left[i] !== right[i]) return false;
  }
  if (a.databases !== b.databases) {
    if (!a.databases || !b.databases || a.databases.size !== b.databases.size) return false;
    const left = [...a.databases];
    const right = [...b.databases];
    for (let i = 0; i < left.length; i++) {
      if (left[i][0] !== right[i][0] || !sameRecord(left[i][1], right[i][1])) return false;
    }
  }
  return true;
}

function sameKeysOf(a: object, b: object): boolean {
  const left = Object.keys(a);
  const right = Object.keys(b);
  return left.length === right.length && left.every((key, i) => key === right[i]);
}

/** Two plain records of primitive values, keys in the same order. */
function sameRecord(a: object, b: object): boolean {
  if (a === b) return true;
  if (!sameKeysOf(a, b)) return false;
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  for (const key of Object.keys(left)) if (left[key] !== right[key]) return false;
  return true;
}

/**
 * All servers' states at one step: a read-only map whose keys (and their order) are shared by
 * every snapshot of a timeline. The states are kept in chunks of CHUNK that snapshots share, so a
 * step that changes one server copies one chunk and the short list of chunks, not a Map (a
 * timeline of 50,000 steps made 20,000 Map copies) nor an array of every server (servers × steps:
 * 10,000 servers and 10,000 steps would have copied 10^8 slots).
 */
class StateSnapshot implements ReadonlyMap<string, ServerState> {
  private map?: Map<string, ServerState>;

  private constructor(
    private readonly slots: ReadonlyMap<string, number>,
    private readonly chunks: readonly (readonly ServerState[])[],
    readonly size: number,
  ) {}

  static of(slots: ReadonlyMap<string, number>, states: readonly ServerState[]): StateSnapshot {
    const chunks: ServerState[][] = [];
    for (let i = 0; i < states.length; i += CHUNK) chunks.push(states.slice(i, i + CHUNK));
    return new StateSnapshot(slots, chunks, states.length);
  }

  /** The state in a slot (0 ≤ slot < size). */
  at(slot: number): ServerState {
    return this.chunks[(slot / CHUNK) | 0][slot % CHUNK];
  }

  get(key: string): ServerState | undefined {
    const slot = this.slots.get(key);
    return slot === undefined ? undefined : this.at(slot);
  }

  has(key: string): boolean {
    return this.slots.has(key);
  }

  /** The same servers in the same states (the same objects). */
  sameAs(other: ServerStates): boolean {
    if (!(other instanceof StateSnapshot) || other.slots !== this.slots) return false;
    if (other === this) return true;
    for (let c = 0; c < this.chunks.length; c++) {
      const mine = this.chunks[c];
      const theirs = other.chunks[c];
      if (mine === theirs) continue;
      for (let i = 0; i < mine.length; i++) if (mine[i] !== theirs[i]) return false;
    }
    return true;
  }

  with(slot: number, state: ServerState): StateSnapshot {
    const chunks = this.chunks.slice();
    const index = (slot / CHUNK) | 0;
    const chunk = chunks[index].slice();
    chunk[slot % CHUNK] = state;
    chunks[index] = chunk;
    return new StateSnapshot(this.slots, chunks, this.size);
  }

  /** Iteration is rare (the rules only look servers up): it goes through a real Map, built once. */
  private asMap(): Map<string, ServerState> {
    return (this.map ??= new Map([...this.slots].map(([key, slot]) => [key, this.at(slot)])));
  }

  forEach(callback: (value: ServerState, key: string, map: ReadonlyMap<string, ServerState>) => void, thisArg?: unknown): void {
    this.asMap().forEach((value, key) => callback.call(thisArg, value, key, this));
  }

  entries() {
    return this.asMap().entries();
  }

  keys() {
    return this.asMap().keys();
  }

  values() {
    return this.asMap().values();
  }

  [Symbol.iterator]() {
    return this.asMap()[Symbol.iterator]();
  }
}

/** The MTA counts as disabled when its service is stopped/disabled or Gateway Out Threads is 0 (F2, F9). */
export function mtaDisabled(state: ServerState): boolean {
  return state.mtaService !== 'running' || state.gatewayOutThreads === 0;
}

export { isExchange2003Sp2 };

/**
 * What happens when a mailbox move off this server ends (docs/simulator.md):
 * - 'hold': a transit-mail flush holds a store thread for flushTimeout (KB924567's failure);
 * - 'brief': a flush holds a thread for about a second (the MTA answers);
 * - 'none': KB924567 with Gateway Out Threads 0: no flush is registered (F10).
 */
export type FlushBehaviour = 'hold' | 'brief' | 'none';

export function flushBehaviour(state: ServerState, gatewayOutThreads = state.gatewayOutThreads): FlushBehaviour {
  if (!isExchange2003Sp2(state)) return 'brief';
  if (state.hotfixes.has(KB924567) && gatewayOutThreads === 0) return 'none';
  return mtaDisabled(state) ? 'hold' : 'brief';
}

/** What a move's flushes do: the hotfix skips them only when the source database's Gateway Out Threads is 0 (model/databases.ts). */
export function moveFlushBehaviour(state: ServerState, step: Step): FlushBehaviour {
  return flushBehaviour(state, moveGatewayOut(state, step).value);
}

/** A move off a server that is exposed to KB924567 at that step: every mailbox it moves leaves a held flush. */
export interface ExposedMove {
  step: Step;
  /** serverKey of the source. */
  key: string;
  /** The source's state when the move begins. */
  state: ServerState;
  /** The source database whose Gateway Out Threads exposes the move, when the server has databases. */
  database?: DatabaseState;
  /** That Gateway Out Threads value (the server's when it has no databases). */
  gatewayOutThreads: number;
}

/**
 * The moves exposed to KB924567, in step order: their source's flushes hold a store thread for
 * flushTimeout ('hold'). Without the hotfix that is EXR001; with it (Gateway Out Threads not 0) EXR004.
 */
export function exposedMoves(runbook: Runbook, timeline: StateTimeline = statesThroughSteps(runbook)): ExposedMove[] {
  const moves: ExposedMove[] = [];
  for (const step of runbook.steps) {
    const move = exposedMove(step, timeline);
    if (move) moves.push(move);
  }
  return moves;
}

/** The step as an exposed move (see `exposedMoves`), or undefined when it is not one. */
export function exposedMove(step: Step, timeline: StateTimeline): ExposedMove | undefined {
  if (step.action?.value !== 'move-mailboxes' || !step.from) return undefined;
  const key = serverKey(step.from.value);
  const state = timeline.before[step.index]?.get(key);
  if (!state) return undefined;
  const gateway = moveGatewayOut(state, step);
  if (flushBehaviour(state, gateway.value) !== 'hold') return undefined;
  return { step, key, state, database: gateway.database, gatewayOutThreads: gateway.value };
}
