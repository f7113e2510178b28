import type { Finding } from '../diagnostics';
import { formatMinutes } from '../format/duration';
import { KB924567 } from '../model/facts';
import type { StepTiming } from '../model/schedule';
import { serverKey, type Step } from '../model/types';
import { declaredName, stepLabel, type SemanticRule } from './rule';

/** Steps that restart the Information Store on their server (F8, and restarts/reboots by definition). */
function restartsStore(step: Step): boolean {
  const action = step.action?.value;
  if (action === 'restart-services' || action === 'reboot') return true;
  return action === 'install-hotfix' && step.hotfix?.value.toUpperCase() === KB924567;
}

/** EXR003: a store restart scheduled while a move from or to that server is running (static schedule). */
export const exr003: SemanticRule = {
  code: 'EXR003',
  defaultSeverity: 'warning',
  title: 'Store restart while a mailbox move on that server is running',
  facts: ['F8'],
  explanation:
    'Installing KB924567 restarts the Information Store, Microsoft Search and IIS Admin services; restart-services and reboot steps restart the store too. A mailbox move from or to that server that is running at that moment is interrupted. The check uses the static schedule: step starts from `start`, durations from mailbox sizes, concurrency and throughput.',
  check(context) {
    const findings: Finding[] = [];
    const { steps } = context.runbook;
    const timings = context.schedule.steps;
    const movesByServer = indexMovesByServer(steps, timings);
    steps.forEach((step, index) => {
      if (!restartsStore(step) || !step.server) return;
      const key = serverKey(step.server.value);
      const at = timings[index].start;
      const move = runningMove(movesByServer.get(key), at, step);
      if (!move) return;
      const window = timings[move.index];
      const server = declaredName(context, key, step.server.value);
      const what = step.action?.value === 'install-hotfix' ? 'Installing KB924567 restarts the Information Store' : step.action?.value === 'reboot' ? 'The reboot restarts the Information Store' : 'Restarting these services interrupts the Information Store';
      findings.push({
        code: 'EXR003',
        span: (step.start ?? step.server).span,
        message: `${what} on ${server} ${formatMinutes(at - window.start)} into move ${stepLabel(move)}, which still has ${formatMinutes(window.end - at)} to run: the moves in flight are interrupted. Schedule step ${stepLabel(step)} before the move starts or after it ends.`,
        related: move.id ? [{ message: `move ${stepLabel(move)}`, span: move.id.span }] : undefined,
        data: { server, stepIndex: index, moveIndex: move.index },
      });
    });
    return findings;
  },
};

/** Move windows per server, sorted by start, with the running maximum of their ends (for interval look-ups). */
interface MoveWindows {
  moves: Step[];
  starts: number[];
  ends: number[];
  maxEndSoFar: number[];
}

function indexMovesByServer(steps: readonly Step[], timings: readonly StepTiming[]): Map<string, MoveWindows> {
  const byServer = new Map<string, Step[]>();
  for (const step of steps) {
    if (step.action?.value !== 'move-mailboxes') continue;
    for (const key of new Set([step.from, step.to].filter((field) => field !== undefined).map((field) => serverKey(field!.value)))) {
      const list = byServer.get(key) ?? [];
      list.push(step);
      byServer.set(key, list);
    }
  }
  const index = new Map<string, MoveWindows>();
  for (const [key, moves] of byServer) {
    moves.sort((a, b) => timings[a.index].start - timings[b.index].start || a.index - b.index);
    const starts = moves.map((move) => timings[move.index].start);
    const ends = moves.map((move) => timings[move.index].end);
    const maxEndSoFar: number[] = [];
    ends.forEach((end, i) => maxEndSoFar.push(Math.max(end, i > 0 ? maxEndSoFar[i - 1] : -Infinity)));
    index.set(key, { moves, starts, ends, maxEndSoFar });
  }
  return index;
}

/** The earliest-starting move (other than `self`) whose window [start, end) contains `at`. */
function runningMove(windows: MoveWindows | undefined, at: number, self: Step): Step | undefined {
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
  let found: Step | undefined;
  for (let i = last; i >= 0 && windows.maxEndSoFar[i] > at; i--) {
    if (windows.ends[i] > at && windows.moves[i] !== self) found = windows.moves[i];
  }
  return found;
}
