import type { Finding } from '../diagnostics';
import { formatMinutes } from '../format/duration';
import { stepEffect, type Outage } from '../model/actions';
import type { Schedule, StepTiming } from '../model/schedule';
import type { ServerStates } from '../model/state';
import { serverKey, type ServerState, type Step } from '../model/types';
import { declaredName, stepLabel, type RuleContext, type SemanticRule } from './rule';

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
    const { steps } = context.runbook;
    const timings = context.schedule.steps;
    let signature = '';
    for (const [key, server] of context.declared) signature += `${key}\u0000${server.name?.value}\u0000`;
    const reused = sinceLastRun(context, signature);
    if (reused) return reused;
    const movesByServer = movesByServerOf(steps, timings);
    const findings: Finding[] = [];
    for (let index = 0; index < steps.length; index++) {
      const finding = judge(context, steps[index], index, movesByServer);
      if (finding) findings.push(finding);
    }
    LAST_RUN.set(context.schedule, { steps: steps.slice(), before: context.states.before, signature, movesByServer, findings });
    return findings;
  },
};

/** A step's finding, if it stops the store while a move on its server runs. */
function judge(context: RuleContext, step: Step, index: number, movesByServer: Map<string, MoveWindows>): Finding | undefined {
  if (!step.server) return undefined;
  const timings = context.schedule.steps;
  const key = serverKey(step.server.value);
  const state = context.states.before[index].get(key);
  // What the step stops comes from the action table, judged at the step (a hotfix that cannot install stops nothing).
  const outage = state ? outageOf(step, state) : undefined;
  if (!outage?.store) return undefined;
  const at = timings[index].start;
  const move = runningMove(movesByServer.get(key), at, timings);
  if (!move) return undefined;
  const window = timings[move.index];
  const server = declaredName(context, key, step.server.value);
  const moveLabel = stepLabel(move);
  const label = stepLabel(step);
  // The finding of last time when everything it says is unchanged (its spans are the steps' own, moved with them).
  const known = FOUND.get(step);
  if (
    known &&
    known.state === state &&
    known.at === at &&
    known.move === move &&
    known.start === window.start &&
    known.end === window.end &&
    known.moveLabel === moveLabel &&
    known.label === label &&
    known.index === index &&
    known.moveIndex === move.index &&
    known.server === server
  ) {
    return known.finding;
  }
  const finding: Finding = {
    code: 'EXR003',
    span: (step.start ?? step.server).span,
    message:
      `${outage.cause} ${outage.store} on ${server} ${formatMinutes(at - window.start)} into move ` +
      `${moveLabel}, which still has ${formatMinutes(window.end - at)} to run: the moves in ` +
      `flight are interrupted. Schedule step ${label} before the move starts or after it ends.`,
    related: move.id ? [{ message: `move ${moveLabel}`, span: move.id.span }] : undefined,
    data: { server, stepIndex: index, moveIndex: move.index },
  };
  FOUND.set(step, {
    state,
    at,
    move,
    start: window.start,
    end: window.end,
    moveLabel,
    label,
    index,
    moveIndex: move.index,
    server,
    finding,
  });
  return finding;
}

/** How many runs judged only the edited stretch (for tests). */
export const exr003Memo = { reused: 0 };

/**
 * The last run's steps, state snapshots, declared names, move index and findings (in step order),
 * per schedule object: a run reuses only the memo of its own schedule object (the incremental
 * analyzer's ScheduleCache keeps it while no time changed), and the memo goes with the schedule, so
 * it keeps no closed document's model alive and each open document has its own.
 */
interface LastRun {
  steps: Step[];
  before: readonly ServerStates[];
  signature: string;
  movesByServer: Map<string, MoveWindows>;
  findings: Finding[];
}
const LAST_RUN = new WeakMap<Schedule, LastRun>();

/**
 * Last run's findings with only the edited stretch judged again, when the edit kept every step's
 * position and time: the same schedule object (so every step's start and every move's window are
 * unchanged), the same number of steps, the same declared names, no move among the steps that
 * changed, and outside them the same step and state snapshot objects at every position (so each of
 * those steps' findings reads what it read last time: `judge` would give the same object back, its
 * spans being the steps' own, moved in place). Pointer comparisons only outside the stretch.
 */
function sinceLastRun(context: RuleContext, signature: string): Finding[] | undefined {
  const last = LAST_RUN.get(context.schedule);
  const { steps } = context.runbook;
  const before = context.states.before;
  if (!last || last.signature !== signature) return undefined;
  if (last.steps.length !== steps.length || last.before.length !== before.length) return undefined;
  let first = 0;
  while (first < steps.length && steps[first] === last.steps[first]) first++;
  let end = steps.length;
  while (end > first && steps[end - 1] === last.steps[end - 1]) end--;
  for (let i = first; i < end; i++) {
    if (steps[i].action?.value === 'move-mailboxes' || last.steps[i].action?.value === 'move-mailboxes') return undefined;
  }
  for (let i = 0; i < before.length; i++) if ((i < first || i >= end) && before[i] !== last.before[i]) return undefined;
  const findings: Finding[] = [];
  let at = 0;
  const old = last.findings;
  while (at < old.length && (old[at].data!.stepIndex as number) < first) findings.push(old[at++]);
  for (let index = first; index < end; index++) {
    const finding = judge(context, steps[index], index, last.movesByServer);
    if (finding) findings.push(finding);
  }
  while (at < old.length && (old[at].data!.stepIndex as number) < end) at++;
  while (at < old.length) findings.push(old[at++]);
  LAST_RUN.set(context.schedule, { ...last, steps: steps.slice(), before, findings });
  exr003Memo.reused++;
  return findings;
}

/** Move windows per server, sorted by start, with the move that ends last among each prefix (for interval look-ups). */
/**
 * What the step stops, from the action table: remembered per step object and state object (both
 * stay the same objects while unchanged: model/state.ts StateCache), as judging it walks the
 * services' dependencies.
 */
const OUTAGES = new WeakMap<Step, { state: ServerState; index: number; outage: Outage | undefined }>();
function outageOf(step: Step, state: ServerState): Outage | undefined {
  const known = OUTAGES.get(step);
  if (known && known.state === state && known.index === step.index) return known.outage;
  const outage = stepEffect(step, state).outage;
  OUTAGES.set(step, { state, index: step.index, outage });
  return outage;
}

/** Each step's last finding and everything its words and places come from. */
const FOUND = new WeakMap<
  Step,
  {
    state: ServerState | undefined;
    at: number;
    move: Step;
    start: number;
    end: number;
    moveLabel: string;
    label: string;
    index: number;
    moveIndex: number;
    server: string;
    finding: Finding;
  }
>();

/**
 * The last move index and what it was built from (every move, in step order, with its window):
 * reused while that is unchanged, as after most edits (a title, a server, a step whose duration
 * does not move a later move). A memo checked in full, so a second document only misses it.
 */
let lastMoves: { moves: Step[]; windows: number[]; index: Map<string, MoveWindows> } | undefined;

function movesByServerOf(steps: readonly Step[], timings: readonly StepTiming[]): Map<string, MoveWindows> {
  const moves: Step[] = [];
  const windows: number[] = [];
  let same = lastMoves !== undefined;
  for (const step of steps) {
    if (step.action?.value !== 'move-mailboxes') continue;
    const { start, end } = timings[step.index];
    if (same) {
      const at = moves.length;
      same = lastMoves!.moves[at] === step && lastMoves!.windows[2 * at] === start && lastMoves!.windows[2 * at + 1] === end;
    }
    moves.push(step);
    windows.push(start, end);
  }
  if (same && lastMoves!.moves.length === moves.length) return lastMoves!.index;
  const index = indexMovesByServer(steps, timings);
  lastMoves = { moves, windows, index };
  return index;
}

interface MoveWindows {
  moves: Step[];
  starts: number[];
  /** latestEnding[i]: of moves[0..i], the one whose window ends last. */
  latestEnding: Step[];
}

function indexMovesByServer(steps: readonly Step[], timings: readonly StepTiming[]): Map<string, MoveWindows> {
  const byServer = new Map<string, Step[]>();
  const add = (key: string, move: Step) => {
    const list = byServer.get(key);
    if (list) list.push(move);
    else byServer.set(key, [move]);
  };
  for (const step of steps) {
    if (step.action?.value !== 'move-mailboxes') continue;
    const from = step.from ? serverKey(step.from.value) : undefined;
    const to = step.to ? serverKey(step.to.value) : undefined;
    if (from) add(from, step);
    if (to && to !== from) add(to, step);
  }
  const index = new Map<string, MoveWindows>();
  for (const [key, moves] of byServer) {
    moves.sort((a, b) => timings[a.index].start - timings[b.index].start || a.index - b.index);
    const latestEnding: Step[] = [];
    moves.forEach((move, i) => {
      const previous = latestEnding[i - 1];
      latestEnding.push(previous && timings[previous.index].end >= timings[move.index].end ? previous : move);
    });
    index.set(key, { moves, starts: moves.map((move) => timings[move.index].start), latestEnding });
  }
  return index;
}

/**
 * A move whose window [start, end) contains `at`: of the moves started by then, the one that ends
 * last contains it if any does. O(log n) per look-up, however the windows overlap.
 */
function runningMove(windows: MoveWindows | undefined, at: number, timings: readonly StepTiming[]): Step | undefined {
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
  const candidate = windows.latestEnding[last];
  return timings[candidate.index].end > at ? candidate : undefined;
}
