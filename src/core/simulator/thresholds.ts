/**
 * The thresholds operators watch, measured as the run goes (never from the series, which may be
 * widened or off): the SMTP local delivery queue over the Exchange Server Analyzer's 1,000
 * messages. Cold code: it runs when the queue crosses the line, not per event; the engine checks
 * the crossing with one comparison where the queue grows or shrinks. Bounded memory: a few
 * numbers per server.
 */
import type { QueueThresholdSummary } from './result';
import type { Store } from './store';

/**
 * The Exchange Server Analyzer reports an error when the SMTP Server\Local Queue Length counter
 * exceeds 1,000 during its sample time slice (fact U3, docs/domain-facts.md).
 */
export const LOCAL_QUEUE_THRESHOLD = 1000;

/**
 * A dip below the line shorter than this does not end a stretch above it (minutes): a queue
 * hovering at the line while it builds is one incident to an operator, not a dozen. The product's
 * choice of presentation, not a source's (the analyzer samples every 30 seconds and reports peaks).
 */
export const QUEUE_DIP_MINUTES = 5;

/** The queue has just grown past the threshold. */
export function queueRose(store: Store, now: number): void {
  const over = store.queueOver;
  if (over.since >= 0 && over.belowSince >= 0 && now - over.belowSince < QUEUE_DIP_MINUTES) {
    over.belowSince = -1;
    return;
  }
  if (over.since >= 0) closeStretch(store, over.belowSince >= 0 ? over.belowSince : now);
  over.since = now;
  over.belowSince = -1;
  over.stretches++;
  if (over.firstAt === null) over.firstAt = now;
}

/** The queue has just fallen back to the threshold. */
export function queueFell(store: Store, now: number): void {
  if (store.queueOver.since >= 0 && store.queueOver.belowSince < 0) store.queueOver.belowSince = now;
}

/** After the queue changed by more than one message at once (a restart puts work back): which side of the line it is on. */
export function queueMoved(store: Store, now: number): void {
  const above = store.deliveryQueue.length > LOCAL_QUEUE_THRESHOLD;
  const counted = store.queueOver.since >= 0 && store.queueOver.belowSince < 0;
  if (above && !counted) queueRose(store, now);
  else if (!above && counted) queueFell(store, now);
}

function closeStretch(store: Store, end: number): void {
  const over = store.queueOver;
  const minutes = end - over.since;
  over.totalMinutes += minutes;
  if (minutes > over.longestMinutes) over.longestMinutes = minutes;
  if (over.firstMinutes === null) over.firstMinutes = minutes;
  over.since = -1;
  over.belowSince = -1;
}

/** The summary at `duration` (a stretch still open counts to its dip or to the end), without changing the store. */
export function queueThresholdSummary(store: Store, duration: number): QueueThresholdSummary {
  const over = store.queueOver;
  let { totalMinutes, longestMinutes, firstMinutes } = over;
  let overAtEnd = false;
  if (over.since >= 0) {
    overAtEnd = over.belowSince < 0;
    const minutes = (overAtEnd ? duration : over.belowSince) - over.since;
    totalMinutes += minutes;
    longestMinutes = Math.max(longestMinutes, minutes);
    firstMinutes ??= minutes;
  }
  return {
    threshold: LOCAL_QUEUE_THRESHOLD,
    firstAt: over.firstAt,
    firstMinutes,
    stretches: over.stretches,
    totalMinutes,
    longestMinutes,
    overAtEnd,
  };
}
