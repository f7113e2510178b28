/**
 * The simulation Web Worker: runs the core simulator in slices so the page never freezes,
 * reports progress between slices, and drops a job as soon as a newer one arrives for the same
 * channel (a document edit replaces the baseline run, a what-if change replaces the what-if run).
 */
import { applyWhatIf, Simulation, SimulationError } from '../core/simulator/index';
import type { PageToWorker, RunChannel, SimulateJob, WorkerToPage } from './workerProtocol';

/** Events per slice: small enough to notice a newer job within a few tens of milliseconds. */
const SLICE_EVENTS = 20_000;
/** A long run shows its result so far after this long, then this often (ms). */
const FIRST_PARTIAL_MS = 40;
const PARTIAL_EVERY_MS = 300;
const PROGRESS_EVERY_MS = 50;

// Typed by hand: the webview build has the DOM library, not the worker one.
const scope = self as unknown as {
  postMessage(message: WorkerToPage): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<PageToWorker>) => void): void;
};

const pending = new Map<RunChannel, SimulateJob>();
const latestRunId = new Map<RunChannel, number>();
let running = false;

scope.addEventListener('message', (event) => {
  const message = event.data;
  if (message.type === 'cancel') {
    pending.delete(message.channel);
    latestRunId.set(message.channel, Number.MAX_SAFE_INTEGER);
    return;
  }
  pending.set(message.channel, message);
  latestRunId.set(message.channel, message.runId);
  if (!running) void drain();
});

/** Runs pending jobs one at a time, the baseline first (it is what the page shows first), a plan last. */
async function drain(): Promise<void> {
  running = true;
  try {
    for (;;) {
      const job = pending.get('baseline') ?? pending.get('whatIf') ?? pending.get('plan');
      if (!job) return;
      pending.delete(job.channel);
      await run(job);
    }
  } finally {
    running = false;
  }
}

function superseded(job: SimulateJob): boolean {
  return latestRunId.get(job.channel) !== job.runId;
}

async function run(job: SimulateJob): Promise<void> {
  const started = performance.now();
  const { channel, runId } = job;
  try {
    const runbook = job.whatIf ? applyWhatIf(job.runbook, job.whatIf) : job.runbook;
    const simulation = new Simulation(runbook, {
      assumptions: job.assumptions,
      maxEvents: job.maxEvents,
      shouldCancel: () => superseded(job),
    });
    let lastProgressAt = started;
    let nextPartialAt = started + FIRST_PARTIAL_MS;
    while (!simulation.runFor(SLICE_EVENTS)) {
      const now = performance.now();
      if (now >= nextPartialAt) {
        nextPartialAt = now + PARTIAL_EVERY_MS;
        lastProgressAt = now;
        scope.postMessage({ type: 'partial', channel, runId, progress: simulation.progress, result: simulation.result() });
      } else if (now - lastProgressAt > PROGRESS_EVERY_MS) {
        lastProgressAt = now;
        scope.postMessage({ type: 'progress', channel, runId, progress: simulation.progress });
      }
      // Let a newer job's message in before the next slice.
      await yieldToMessages();
      if (superseded(job)) return;
    }
    if (superseded(job)) return;
    scope.postMessage({ type: 'result', channel, runId, result: simulation.result(), elapsedMs: Math.round(performance.now() - started) });
  } catch (error) {
    if (superseded(job)) return;
    const kind = error instanceof SimulationError ? error.kind : 'crash';
    const message = error instanceof Error ? error.message : String(error);
    scope.postMessage({ type: 'failed', channel, runId, kind, message });
  }
}

/** A macrotask boundary without setTimeout's 4 ms clamp: a message to ourselves. */
const channelToSelf = new MessageChannel();
const waiting: (() => void)[] = [];
channelToSelf.port1.onmessage = () => waiting.shift()?.();
function yieldToMessages(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push(resolve);
    channelToSelf.port2.postMessage(null);
  });
}
