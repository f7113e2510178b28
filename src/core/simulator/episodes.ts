/**
 * Exhaustion episodes: a server is exhausted while its store is up, every thread is busy and work
 * waits. Momentary bursts (a random clump of deliveries, the catch-up after a restart) are not
 * reported: an episode counts once it has lasted EXHAUSTION_MIN_MINUTES, and `exhaustedAt` is when
 * that episode began. Cold code: it runs when an episode starts or ends, not per event.
 */
import type { ExhaustionRecord } from './result';
import type { StepRun, Store } from './store';

/** An exhaustion episode shorter than this is a burst, not exhaustion (minutes). */
export const EXHAUSTION_MIN_MINUTES = 1;

/** Work has to wait: an episode begins if every thread of the (running) store is busy. */
export function startEpisode(store: Store, now: number): void {
  if (!store.up || store.pool === 0 || store.busy < store.pool) return;
  store.episodeActive = true;
  store.episodeConfirmed = false;
  store.episodeStart = now;
  store.episodeFlush = store.busyFlush;
  store.episodeBusy[0] = store.busyDelivery;
  store.episodeBusy[1] = store.busyOwa;
  store.episodeBusy[2] = store.busyMove;
  store.episodeAfterRestart = store.upAt === now ? store.restartedBy : null;
  store.episodeBacklog = store.backlogAtUp;
}

export function endEpisode(store: Store, now: number, runs: readonly StepRun[]): void {
  if (!store.episodeConfirmed && now - store.episodeStart >= EXHAUSTION_MIN_MINUTES) confirmEpisode(store, runs);
  store.episodeActive = false;
}

/** The episode has lasted long enough: record it against the step running on the server when it began. */
export function confirmEpisode(store: Store, runs: readonly StepRun[]): void {
  store.episodeConfirmed = true;
  const at = store.episodeStart;
  const running = runs.filter((run) => run.started && run.start <= at && (!run.finished || run.end > at) && run.involves(store));
  const moves = running.filter((run) => run.source !== null);
  const main = moves.length > 0 ? moves[moves.length - 1] : running.length > 0 ? running[running.length - 1] : null;
  const record = (run: StepRun | null): ExhaustionRecord => ({
    at,
    stepIndex: run ? run.index : null,
    step: run ? run.id : null,
    flushThreads: store.episodeFlush,
    busy: { delivery: store.episodeBusy[0], owa: store.episodeBusy[1], move: store.episodeBusy[2], flush: store.episodeFlush },
    afterRestart: store.episodeAfterRestart !== null ? { step: store.episodeAfterRestart, waiting: store.episodeBacklog } : null,
    threadPool: store.pool,
  });
  if (store.exhaustedAt === null) {
    store.exhaustedAt = at;
    store.exhaustedDuringStep = main ? main.id : null;
    store.flushAtExhaustion = store.episodeFlush;
    store.exhaustions.push(record(main));
  }
  for (const run of moves) {
    if (!store.exhaustions.some((known) => known.stepIndex === run.index)) store.exhaustions.push(record(run));
  }
}
