/**
 * What the engine keeps per server (its Information Store), per step and per concurrent mailbox
 * move. Plain mutable records: the event loop (engine.ts) and the cold parts beside it
 * (episodes.ts, sampling.ts, report.ts, quiet.ts) all read and update them.
 */
import type { MailboxOrder, ServerState, Step } from '../model/types';
import { serverKey } from '../model/types';
import { NumberRing } from './eventQueue';
import { DelayHistogram } from './histogram';
import type { ExhaustionRecord } from './result';

// Work waiting in the "other" FIFO.
export const WAIT_MOVE_SOURCE = 1;
export const WAIT_MOVE_TARGET = 2;
export const WAIT_FLUSH = 3;

// The two kinds of flush that hold a thread; each has one duration, so each is a FIFO.
export const HOLD_FLUSH = 0;
export const BRIEF_FLUSH = 1;

export interface OtherWork {
  time: number;
  type: number;
  lane: Lane | null;
  /** For flushes: HOLD_FLUSH or BRIEF_FLUSH. */
  flushKind: number;
  live: boolean;
}

export class Store {
  up = true;
  downCount = 0;
  busy = 0;
  busyDelivery = 0;
  busyOwa = 0;
  busyMove = 0;
  busyFlush = 0;
  readonly deliveryQueue = new NumberRing();
  readonly owaQueue = new NumberRing();
  other: OtherWork[] = [];
  otherHead = 0;
  otherLive = 0;

  peakBusy = 0;
  maxDeliveryQueue = 0;
  /** When the delivery queue first reached its longest (-1: nothing ever waited), and the step whose restart had the store down then. */
  maxDeliveryQueueAt = -1;
  maxDeliveryQueueDownFor: string | null = null;
  /** The OWA queue's longest (its memory; not reported). */
  maxOwaQueue = 0;
  deliveriesArrived = 0;
  deliveriesCompleted = 0;
  /** [0] sum of delivery waits, [1] sum of delivery delays (minutes): number fields would be re-boxed on every update. */
  readonly deliverySums = new Float64Array(2);
  readonly delays = new DelayHistogram();
  owaRequests = 0;
  owaUnanswered = 0;
  flushRegistered = 0;
  flushThreadMinutes = 0;
  /**
   * When each flush holding a thread began, per kind (HOLD_FLUSH, BRIEF_FLUSH). Every flush of a
   * kind holds for the same time, so they end in this order and only the first of each kind needs
   * an event in the queue: that keeps the heap small while hundreds of flushes are held.
   */
  readonly flushStarts: [NumberRing, NumberRing] = [new NumberRing(), new NumberRing()];

  episodeActive = false;
  episodeConfirmed = false;
  episodeStart = 0;
  episodeFlush = 0;
  /** Threads busy by kind when the episode began: [delivery, owa, move], beside episodeFlush. */
  readonly episodeBusy = new Int32Array(3);
  /** The step whose restart last took the store down, and how much work waited when it came back up. */
  restartedBy: string | null = null;
  upAt = -1;
  backlogAtUp = 0;
  /**
   * The episode began the moment the store came back up: the step whose restart it is working off
   * (null otherwise), and the work that waited then. Kept apart from restartedBy and backlogAtUp:
   * another restart may take the store down before the episode is confirmed.
   */
  episodeAfterRestart: string | null = null;
  episodeBacklog = 0;
  exhaustedAt: number | null = null;
  exhaustedDuringStep: string | null = null;
  /** The local delivery queue over LOCAL_QUEUE_THRESHOLD (thresholds.ts): the open stretch (-1: none) and the closed ones. */
  readonly queueOver = {
    since: -1,
    /** When the open stretch fell back to the line (-1 while above): a dip shorter than QUEUE_DIP_MINUTES does not end it. */
    belowSince: -1,
    firstAt: null as number | null,
    firstMinutes: null as number | null,
    stretches: 0,
    totalMinutes: 0,
    longestMinutes: 0,
  };
  flushAtExhaustion: number | null = null;
  readonly exhaustions: ExhaustionRecord[] = [];

  constructor(
    readonly index: number,
    readonly name: string,
    public state: ServerState,
    readonly pool: number,
    readonly deliveryPerMinute: number,
    readonly deliveryServiceMinutes: number,
    readonly owaPerMinute: number,
    readonly owaServiceMinutes: number,
  ) {}

  get waiting(): number {
    return this.deliveryQueue.length + this.owaQueue.length + this.otherLive;
  }
}

export class StepRun {
  started = false;
  finished = false;
  /** The step stopped its server's Information Store when it began (it starts again when the step ends). */
  stopsStore = false;
  start = 0;
  end = 0;
  // Moves only.
  source: Store | null = null;
  target: Store | null = null;
  nextMailbox = 0;
  movedMailboxes = 0;
  mailboxCount = 0;
  throughput = 1;

  constructor(
    readonly step: Step,
    readonly index: number,
    readonly id: string,
    readonly action: string,
    /** Minutes from t = 0 for steps with `start`, else null. */
    readonly explicitStart: number | null,
    /** Minutes the schedule planned for the step. */
    readonly planned: number,
  ) {}

  involves(store: Store): boolean {
    if (this.source === store || this.target === store) return true;
    const name = this.step.server?.value;
    return name !== undefined && serverKey(name) === serverKey(store.name);
  }

  /** The listed mailboxes' indexes in the order the step moves them (`mailboxOrder`); null: as listed. */
  private order: Int32Array | null | undefined;

  mailboxSize(index: number): number {
    const set = this.step.mailboxes!.value;
    if (!set.sizesMB) return set.averageSizeMB;
    if (this.order === undefined) this.order = mailboxOrder(set.sizesMB, this.step.mailboxOrder?.value);
    return set.sizesMB[this.order ? this.order[index] : index];
  }
}

/** 0 idle, 1 waiting for a source thread, 2 holding it and waiting for a target thread, 3 moving. */
export class Lane {
  phase = 0;
  sizeMB = 0;
  waitingEntry: OtherWork | null = null;
  constructor(
    readonly id: number,
    readonly run: StepRun,
    readonly source: Store,
    readonly target: Store,
  ) {}
}

/**
 * The order of a listed move's mailboxes: largest first or last by size, ties as listed; null for
 * as listed. Sizes given by `{ count, averageSizeMB }` are all equal: no order.
 */
export function mailboxOrder(sizesMB: readonly number[], order: MailboxOrder | undefined): Int32Array | null {
  if (order === undefined || order === 'as-listed') return null;
  const indexes = Int32Array.from(sizesMB.keys());
  const sign = order === 'largest-first' ? -1 : 1;
  return indexes.sort((a, b) => sign * (sizesMB[a] - sizesMB[b]) || a - b);
}
