import type { Finding } from '../diagnostics';
import { formatMinutes } from '../format/duration';
import { firstIndexWhere, unchangedEnds } from '../arrays';
import { stepEffect, type Outage } from '../model/actions';
import type { StepTiming } from '../model/schedule';
import type { ServerStates } from '../model/state';
import { serverKey, type ServerState, type Step } from '../model/types';
import { declaredName, ruleMemo, stepLabel, type RuleContext, type SemanticRule } from './rule';

/** EXR003: a store restart scheduled while a move from or to that server is running (static schedule). */
export const exr003: SemanticRule = {
  code: 'EXR003',
  defaultSeverity: 'warning',
  plan: 'mustNotAdd',
  title: 'Store restart while a mailbox move on that server is running',
  facts: ['F8', 'S1'],
  explanation:
    'Installing KB924567 restarts the Information Store, Microsoft Search and IIS Admin services; ' +
    'installing a service pack stops every Exchange service; a reboot stops everything; restarting ' +
    'MSExchangeIS, or a service the store depends on (System Attendant), stops the store. A mailbox ' +
    'move from or to that server that is running at that moment is interrupted. The check uses the static schedule: ' +
    'step starts from `start`, durations from mailbox sizes, concurrency and throughput.',
  check(context) {
    return ruleMemo(context, 'EXR003', () => new Exr003Memo())?.update(context) ?? judgeAll(context);
  },
};

/** Every step judged afresh (analyze()). */
function judgeAll(context: RuleContext): Finding[] {
  const { steps } = context.runbook;
  const timings = context.schedule.steps;
  const windows = moveWindowsOf(steps, timings);
  const findings: Finding[] = [];
  for (let index = 0; index < steps.length; index++) {
    const step = steps[index];
    if (!step.server) continue;
    const key = serverKey(step.server.value);
    const state = context.states.before[index].get(key);
    // What the step stops comes from the action table, judged at the step (a hotfix that cannot install stops nothing).
    const outage = state ? outageOf(step, state) : undefined;
    if (!outage?.store) continue;
    const at = timings[index].start;
    const running = runningMove(windows.get(key), at);
    if (running) findings.push(findingOf(context, step, key, outage, at, running));
  }
  return findings;
}

/** A move that runs at the step's start, and its window. */
interface Running {
  move: Step;
  start: number;
  end: number;
}

/** The finding about a step that stops the store while `running` runs. */
function findingOf(context: RuleContext, step: Step, key: string, outage: Outage, at: number, running: Running): Finding {
  const { move, start, end } = running;
  const server = declaredName(context, key, step.server!.value);
  const moveLabel = stepLabel(move);
  const finding: Finding = {
    code: 'EXR003',
    span: (step.start ?? step.server)!.span,
    message:
      `${outage.cause} ${outage.store} on ${server} ${formatMinutes(at - start)} into move ` +
      `${moveLabel}, which still has ${formatMinutes(end - at)} to run: the moves in ` +
      `flight are interrupted. Schedule step ${stepLabel(step)} before the move starts or after it ends.`,
    related: move.id ? [{ message: `move ${moveLabel}`, span: move.id.span }] : undefined,
    data: { server, stepIndex: step.index, moveIndex: move.index },
  };
  return finding;
}

/**
 * What the step stops, from the action table: remembered per step object and state object (both
 * stay the same objects while unchanged: model/state.ts StateCache), as judging it walks the
 * services' dependencies.
 */
const OUTAGES = new WeakMap<Step, { state: ServerState; outage: Outage | undefined }>();
function outageOf(step: Step, state: ServerState): Outage | undefined {
  const known = OUTAGES.get(step);
  if (known && known.state === state) return known.outage;
  const outage = stepEffect(step, state).outage;
  OUTAGES.set(step, { state, outage });
  return outage;
}

const isMove = (step: Step) => step.action?.value === 'move-mailboxes';

/** The servers a move's windows are listed under: `from`, and `to` when it is another. */
function moveKeys(move: Step): string[] {
  const from = move.from ? serverKey(move.from.value) : undefined;
  const to = move.to ? serverKey(move.to.value) : undefined;
  const keys: string[] = [];
  if (from) keys.push(from);
  if (to && to !== from) keys.push(to);
  return keys;
}

/** One server's move windows, sorted by start (then step index), with the move that ends last among each prefix. */
interface MoveWindows {
  moves: Step[];
  starts: number[];
  ends: number[];
  /** latest[i]: of moves[0..i], the position of the one whose window ends last (the first such). */
  latest: number[];
}

function windowsOf(moves: Step[], startOf: (move: Step) => number, endOf: (move: Step) => number): MoveWindows {
  const starts: number[] = new Array(moves.length);
  const ends: number[] = new Array(moves.length);
  const latest: number[] = new Array(moves.length);
  for (let i = 0; i < moves.length; i++) {
    const end = endOf(moves[i]);
    starts[i] = startOf(moves[i]);
    ends[i] = end;
    latest[i] = i > 0 && ends[latest[i - 1]] >= end ? latest[i - 1] : i;
  }
  return { moves, starts, ends, latest };
}

/** Every server's move windows. */
function moveWindowsOf(steps: readonly Step[], timings: readonly StepTiming[]): Map<string, MoveWindows> {
  const byServer = new Map<string, Step[]>();
  for (const step of steps) {
    if (!isMove(step)) continue;
    for (const key of moveKeys(step)) {
      const list = byServer.get(key);
      if (list) list.push(step);
      else byServer.set(key, [step]);
    }
  }
  const index = new Map<string, MoveWindows>();
  const startOf = (move: Step) => timings[move.index].start;
  const endOf = (move: Step) => timings[move.index].end;
  for (const [key, moves] of byServer) {
    moves.sort((a, b) => startOf(a) - startOf(b) || a.index - b.index);
    index.set(key, windowsOf(moves, startOf, endOf));
  }
  return index;
}

/**
 * A move whose window [start, end) contains `at`: of the moves started by then, the one that ends
 * last contains it if any does. O(log n) per look-up, however the windows overlap.
 */
function runningMove(windows: MoveWindows | undefined, at: number): Running | undefined {
  if (!windows) return undefined;
  let low = 0;
  let high = windows.starts.length - 1;
  let last = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (windows.starts[mid] <= at) {
      last = mid;
      low = mid + 1;
    } else high = mid - 1;
  }
  if (last < 0) return undefined;
  const candidate = windows.latest[last];
  const end = windows.ends[candidate];
  return end > at ? { move: windows.moves[candidate], start: windows.starts[candidate], end } : undefined;
}

/** How many steps the last incremental run judged (for tests). */
export const exr003Memo = { judged: 0 };

/** What EXR003 last said about a step, and what it read (one shape for every step: the update's loops stay monomorphic). */
class StepRecord {
  /** Whether it stops its server's store (then it is among `stoppers`). */
  stops = false;
  /** Its server's state before it, when last judged. */
  state: ServerState | undefined = undefined;
  finding: Finding | undefined = undefined;
  outage: Outage | undefined = undefined;
  at = 0;
  running: Running | undefined = undefined;
  /** The step's and the move's indices the finding's data and words were made with. */
  stepIndex = -1;
  moveIndex = -1;
  /** Whether the step and the move have ids (else a label is a position, and the words change when it moves). */
  named = false;

  constructor(
    readonly step: Step,
    /** Its server's key; undefined for a step without `server`. */
    readonly key: string | undefined,
    /** The run that last judged it, or that saw it removed. */
    public stamp: number,
  ) {}
}

/**
 * EXR003 between analyses of one document (RuleContext.memos): each server's move windows, the
 * steps that stop each server's store, and each step's finding. An update judges again only the
 * steps whose inputs may have changed, found by comparing with last time, position by position
 * (by identity of the step objects, aligned across the edited stretch): the steps of the edited
 * stretch; a step whose start or end moved (a move's window is taken out of and put back into its
 * servers' windows); a step whose state snapshot is another object (its server's state may have
 * changed); and a step that stops a store while a move window on that server that changed (taken
 * out, put in, moved) contained or contains its start. No other step's verdict can change: a move
 * whose window does not contain a step's start is never the one found running then. Findings keep
 * their objects; a step or move moved in the list gets a new `data` (and new words when its label
 * is positional).
 */
class Exr003Memo {
  private signature = '';
  private steps: Step[] = [];
  private before: readonly ServerStates[] = [];
  private starts = new Float64Array(0);
  private ends = new Float64Array(0);
  private windows = new Map<string, MoveWindows>();
  private readonly stoppers = new Map<string, Set<StepRecord>>();
  private records = new WeakMap<Step, StepRecord>();
  /** The records with a finding, in step order. */
  private reported: StepRecord[] = [];
  private run = 0;

  /** The findings, or undefined when a time is not a number (a window's place in the order is then not its own). */
  update(context: RuleContext): Finding[] | undefined {
    const steps = context.runbook.steps;
    const timings = context.schedule.steps;
    const before = context.states.before;
    let signature = '';
    for (const [key, server] of context.declared) signature += `${key}\u0000${server.name?.value}\u0000`;
    if (signature !== this.signature) this.reset(signature);
    const run = ++this.run;
    const old = this.steps;
    const oldStarts = this.starts;
    const oldEnds = this.ends;
    const oldBefore = this.before;
    const n = steps.length;
    const [first, tail] = unchangedEnds(old, steps);
    const endNew = n - tail;
    const endOld = old.length - tail;
    const shift = n - old.length;

    // Move windows taken out (with the window they had) and put in.
    const removed: { move: Step; start: number; end: number }[] = [];
    const added: Step[] = [];
    for (let j = first; j < endOld; j++) {
      const step = old[j];
      const record = this.records.get(step);
      if (record) this.forget(record, run);
      if (isMove(step)) removed.push({ move: step, start: oldStarts[j], end: oldEnds[j] });
    }
    // Written in place when no step was inserted or deleted (each old value is read before it is written).
    const starts = shift === 0 ? oldStarts : new Float64Array(n);
    const ends = shift === 0 ? oldEnds : new Float64Array(n);
    const pending: number[] = [];
    let nan = false;
    for (let i = 0; i < n; i++) {
      const timing = timings[i];
      const start = timing.start;
      const end = timing.end;
      const step = steps[i];
      if (i >= first && i < endNew) {
        if (start !== start || end !== end) nan = true;
        starts[i] = start;
        ends[i] = end;
        pending.push(i);
        if (isMove(step)) added.push(step);
        continue;
      }
      const j = i < first ? i : i - shift;
      const oldStart = oldStarts[j];
      const oldEnd = oldEnds[j];
      starts[i] = start;
      ends[i] = end;
      if (start !== oldStart || end !== oldEnd) {
        if (start !== start || end !== end) nan = true;
        if (isMove(step)) {
          removed.push({ move: step, start: oldStart, end: oldEnd });
          added.push(step);
        }
        if (step.server) pending.push(i);
      } else if (before[i] !== oldBefore[j]) {
        // Another snapshot: judged again only when its own server's state is another object.
        const record = this.records.get(step);
        if (!record || (record.key !== undefined && before[i].get(record.key) !== record.state)) pending.push(i);
      }
    }
    if (nan) {
      this.reset('');
      return undefined;
    }
    this.steps = steps;
    this.before = before;
    this.starts = starts;
    this.ends = ends;
    const dirty = this.updateWindows(removed, added, starts, ends);

    // Judge the steps whose inputs changed, then the store stoppers inside a changed window.
    let fresh: StepRecord[] = [];
    for (const index of pending) {
      const record = this.judge(context, steps[index], index, run);
      if (record.finding) fresh.push(record);
    }
    const stoppers: StepRecord[] = [];
    for (const [key, intervals] of dirty) {
      for (const record of this.stoppers.get(key) ?? []) {
        if (record.stamp === run) continue;
        const at = starts[record.step.index];
        // Many changed windows (times moved for a long stretch): every stopper of the server.
        for (let k = 0; k < intervals.length; k += 2) {
          if (intervals.length > 64 || (intervals[k] <= at && at < intervals[k + 1])) {
            record.stamp = run;
            stoppers.push(record);
            break;
          }
        }
      }
    }
    if (stoppers.length > 0) {
      stoppers.sort((a, b) => a.step.index - b.step.index);
      for (const record of stoppers) this.judge(context, record.step, record.step.index, run);
      const found = stoppers.filter((record) => record.finding);
      const merged: StepRecord[] = [];
      let s = 0;
      for (const record of fresh) {
        while (s < found.length && found[s].stepIndex < record.stepIndex) merged.push(found[s++]);
        merged.push(record);
      }
      while (s < found.length) merged.push(found[s++]);
      fresh = merged;
    }
    exr003Memo.judged = pending.length + stoppers.length;

    // Last time's findings of the steps not judged again, merged in step order with the new verdicts.
    const reported: StepRecord[] = [];
    const findings: Finding[] = [];
    let f = 0;
    for (const record of this.reported) {
      if (record.stamp === run) continue;
      // Not judged again: neither it nor its move was in the edited stretch.
      const index = record.stepIndex < first ? record.stepIndex : record.stepIndex + shift;
      while (f < fresh.length && fresh[f].stepIndex < index) {
        reported.push(fresh[f]);
        findings.push(fresh[f++].finding!);
      }
      if (shift !== 0 && (index !== record.stepIndex || record.moveIndex >= first)) {
        this.moved(context, record, index, record.moveIndex < first ? record.moveIndex : record.moveIndex + shift);
      }
      reported.push(record);
      findings.push(record.finding!);
    }
    for (; f < fresh.length; f++) {
      reported.push(fresh[f]);
      findings.push(fresh[f].finding!);
    }
    this.reported = reported;
    return findings;
  }

  private reset(signature: string): void {
    this.signature = signature;
    this.steps = [];
    this.before = [];
    this.starts = new Float64Array(0);
    this.ends = new Float64Array(0);
    this.windows = new Map();
    this.stoppers.clear();
    this.records = new WeakMap();
    this.reported = [];
  }

  /** A step no longer in the list (or about to be judged again at another place). */
  private forget(record: StepRecord, run: number): void {
    if (record.stops) this.stoppers.get(record.key!)!.delete(record);
    record.stops = false;
    record.finding = undefined;
    record.stamp = run;
  }

  /**
   * Takes the removed windows out of their servers' lists and puts the added ones in, in order;
   * returns per server the windows that changed, [start, end) pairs.
   */
  private updateWindows(
    removed: readonly { move: Step; start: number; end: number }[],
    added: readonly Step[],
    starts: Float64Array,
    ends: Float64Array,
  ): Map<string, number[]> {
    const dirty = new Map<string, number[]>();
    const change = new Map<string, { out: { move: Step; start: number }[]; in: Step[] }>();
    const changeOf = (key: string) => {
      let entry = change.get(key);
      if (!entry) change.set(key, (entry = { out: [], in: [] }));
      return entry;
    };
    const mark = (key: string, start: number, end: number) => {
      const list = dirty.get(key);
      if (list) list.push(start, end);
      else dirty.set(key, [start, end]);
    };
    for (const { move, start, end } of removed) {
      for (const key of moveKeys(move)) {
        changeOf(key).out.push({ move, start });
        mark(key, start, end);
      }
    }
    for (const move of added) {
      for (const key of moveKeys(move)) {
        changeOf(key).in.push(move);
        mark(key, starts[move.index], ends[move.index]);
      }
    }
    const startOf = (move: Step) => starts[move.index];
    const endOf = (move: Step) => ends[move.index];
    for (const [key, { out, in: put }] of change) {
      const windows = this.windows.get(key);
      if (!windows || out.length + put.length > 16) {
        // Many changes (or the first run): the server's list sorted afresh.
        const gone = new Set(out.map((entry) => entry.move));
        const moves = windows ? windows.moves.filter((move) => !gone.has(move)) : [];
        for (const move of put) moves.push(move);
        moves.sort((a, b) => starts[a.index] - starts[b.index] || a.index - b.index);
        if (moves.length === 0) this.windows.delete(key);
        else this.windows.set(key, windowsOf(moves, startOf, endOf));
        continue;
      }
      // A few: each taken out and put in at its place, and the running latest recomputed from the first.
      let from = windows.moves.length;
      for (const { move, start } of out) {
        let at = firstIndexWhere(windows.starts.length, (i) => windows.starts[i] >= start);
        while (at < windows.moves.length && windows.moves[at] !== move) at++;
        if (at === windows.moves.length) at = windows.moves.indexOf(move);
        windows.moves.splice(at, 1);
        windows.starts.splice(at, 1);
        windows.ends.splice(at, 1);
        from = Math.min(from, at);
      }
      for (const move of put) {
        const start = starts[move.index];
        let at = firstIndexWhere(windows.starts.length, (i) => windows.starts[i] >= start);
        while (at < windows.moves.length && windows.starts[at] === start && windows.moves[at].index < move.index) at++;
        windows.moves.splice(at, 0, move);
        windows.starts.splice(at, 0, start);
        windows.ends.splice(at, 0, ends[move.index]);
        from = Math.min(from, at);
      }
      const { ends: windowEnds, latest } = windows;
      latest.length = windowEnds.length;
      for (let i = from; i < windowEnds.length; i++) latest[i] = i > 0 && windowEnds[latest[i - 1]] >= windowEnds[i] ? latest[i - 1] : i;
      if (windows.moves.length === 0) this.windows.delete(key);
    }
    return dirty;
  }

  /** Judges a step at `index` again: its record, with its finding if it has one. */
  private judge(context: RuleContext, step: Step, index: number, run: number): StepRecord {
    let record = this.records.get(step);
    if (!record) {
      record = new StepRecord(step, step.server ? serverKey(step.server.value) : undefined, run);
      this.records.set(step, record);
    }
    record.stamp = run;
    const key = record.key;
    const state = key === undefined ? undefined : context.states.before[index].get(key);
    const outage = state ? outageOf(step, state) : undefined;
    const stops = !!outage?.store;
    record.state = state;
    if (stops !== record.stops) {
      record.stops = stops;
      let set = this.stoppers.get(key!);
      if (!set) this.stoppers.set(key!, (set = new Set()));
      if (stops) set.add(record);
      else set.delete(record);
    }
    const at = this.starts[index];
    const running = stops ? runningMove(this.windows.get(key!), at) : undefined;
    if (!running) {
      record.finding = undefined;
      record.running = undefined;
      return record;
    }
    const known = record.finding && record.running!;
    if (
      known &&
      known.move === running.move &&
      known.start === running.start &&
      known.end === running.end &&
      record.at === at &&
      record.outage!.cause === outage!.cause &&
      record.outage!.store === outage!.store
    ) {
      record.outage = outage;
      record.running = running;
      if (record.stepIndex !== index || record.moveIndex !== running.move.index) this.moved(context, record, index, running.move.index);
      return record;
    }
    record.finding = findingOf(context, step, key!, outage!, at, running);
    record.outage = outage;
    record.at = at;
    record.running = running;
    record.stepIndex = index;
    record.moveIndex = running.move.index;
    record.named = !!step.id && !!running.move.id;
    return record;
  }

  /** A finding whose step or move moved in the list: new data, and new words when a label is a position. */
  private moved(context: RuleContext, record: StepRecord, stepIndex: number, moveIndex: number): void {
    const { step, running } = record;
    // A new data object (diagnostics already handed out share the old one), of the same shape.
    if (record.named) record.finding!.data = { server: record.finding!.data!.server, stepIndex, moveIndex };
    else record.finding = findingOf(context, step, record.key!, record.outage!, record.at, running!);
    record.stepIndex = stepIndex;
    record.moveIndex = moveIndex;
  }
}
