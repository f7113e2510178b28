/**
 * The discrete-event migration simulator (docs/simulator.md). One engine for Node, the CLI and the
 * webview's Web Worker: no dependency on VS Code, the DOM or Node.
 *
 * Model, per server (its Information Store):
 * - a pool of task threads; every unit of work holds one while it runs; work that finds none
 *   free waits, first come first served, in one queue per server (kept as three FIFOs,
 *   deliveries, OWA and everything else, merged by arrival time when a thread frees);
 * - local delivery and OWA arrive as Poisson processes; OWA requests that wait longer than
 *   `owaTimeout` leave the queue unanswered;
 * - a mailbox move takes one thread on the source, then one on the target (holding the first
 *   while it waits for the second), and holds both for sizeMB ÷ throughput minutes;
 * - when a move ends, the source registers a transit-mail flush as `moveFlushBehaviour` judges the
 *   source's state (and source database) at that moment: 'hold' for flushTimeout from when it gets a thread,
 *   'brief' for `flushWithMtaRunningSeconds`, 'none' registers nothing;
 * - a step changes its server's state when it begins, and a step whose action stops the
 *   Information Store (model/actions.ts: KB924567, a service pack, a reboot, a restart of the store
 *   or a service it depends on) takes the store down for the step's duration.
 *   In-flight deliveries and OWA requests are lost and go back to the head of their queue
 *   (retried with their original arrival time); in-flight mailbox moves to or from the server
 *   are lost and start again from the beginning once both stores have a thread; flushes are
 *   cleared (the restart ends them). Queued work keeps waiting (it is queued outside the store).
 *
 * This file is the event loop and the model's moving parts; the cold parts live beside it:
 * settings.ts (options, resolved settings, errors), store.ts (per-server, per-step and per-lane
 * records), episodes.ts (exhaustion episodes), sampling.ts (the series), report.ts (the result),
 * budget.ts (what a run may cost, and its refusals), quiet.ts (which quiet stretches are skipped).
 *
 * Default duration: until the last step ends or the last move ends plus flushTimeout, whichever
 * is later, but never more than HORIZON_FACTOR × (the static schedule's end + flushTimeout) +
 * one day (a run whose moves cannot progress still ends). `simulation.duration` overrides it.
 */
import { stepEffect, stepMinutes } from '../model/actions';
import { buildSchedule } from '../model/schedule';
import { inventoryState, moveFlushBehaviour, serversOfStep } from '../model/state';
import type { Runbook, Step } from '../model/types';
import { serverKey } from '../model/types';
import { exhaustedBudgetError, MAX_PENDING_EVENTS, MAX_QUEUED_MESSAGES, pendingLimitError, planRun, queueLimitError } from './budget';
import { confirmEpisode, endEpisode, EXHAUSTION_MIN_MINUTES, startEpisode } from './episodes';
import { EventQueue } from './eventQueue';
import { keepsUp, plannedSkips, QUIET_MARGIN_MINUTES, worthSkipping } from './quiet';
import { fillExponentials, Sfc32 } from './random';
import { buildResult } from './report';
import type { SimulationResult } from './result';
import { Sampler } from './sampling';
import { LOCAL_QUEUE_THRESHOLD, queueFell, queueMoved, queueRose } from './thresholds';
import { resolveSettings, SimulationError, type SimulateOptions, type Settings } from './settings';
import { BRIEF_FLUSH, HOLD_FLUSH, Lane, StepRun, Store, WAIT_FLUSH, WAIT_MOVE_SOURCE, WAIT_MOVE_TARGET, type OtherWork } from './store';

/** The default duration never exceeds this many times the planned end (see the header). */
const HORIZON_FACTOR = 4;
/** The caller's cancel callback is asked this often (events). */
const CANCEL_CHECK_EVENTS = 1 << 16;
const EXPONENTIAL_BATCH = 1024;

// Event kinds (low 4 bits of an event code; the server index is in the bits above).
const CANCELLED = 0;
const DELIVERY_ARRIVAL = 1;
const DELIVERY_DONE = 2;
const OWA_ARRIVAL = 3;
const OWA_DONE = 4;
const MOVE_END = 5;
const FLUSH_END = 6;
const STEP_START = 7;
const STEP_END = 8;
/** Time to look whether the run is quiet enough to fast-forward (quiet.ts). */
const QUIET_CHECK = 9;
const KIND_BITS = 4;
const KIND_MASK = (1 << KIND_BITS) - 1;

export class Simulation {
  private readonly settings: Settings;
  private readonly rng: Sfc32;
  /** Exponential variates (mean 1) drawn in batches, so the hot loop neither calls the generator nor Math.log. */
  private readonly exponentials = new Float64Array(EXPONENTIAL_BATCH);
  private exponentialIndex = 0;
  private readonly queue = new EventQueue(256, MAX_PENDING_EVENTS, pendingLimitError);
  private readonly stores: Store[] = [];
  private readonly storesByKey = new Map<string, Store>();
  /** Declared servers with no load that no step names, in declaration order: no store is modelled for them. */
  private readonly idleServers: string[] = [];
  private readonly runs: StepRun[] = [];
  private readonly lanes: Lane[] = [];
  private readonly clockOrigin: number | null;
  private readonly estimatedDuration: number;
  private readonly estimatedEvents: number;
  private readonly horizon: number;
  /** Every store keeps up with its load alone, so quiet stretches may be skipped (quiet.ts). */
  private readonly mayFastForward: boolean;
  /** The explicit starts, in time order, and the first of them that may still lie ahead. */
  private readonly explicitStarts: number[];
  private nextExplicitStart = 0;
  private readonly shouldCancel?: () => boolean;

  /** The simulated time, minutes; in a typed array because a number field would be re-boxed on every write. */
  private readonly clock = new Float64Array(1);
  private endTime: number;
  private events = 0;
  private finishedSteps = 0;
  private runningSteps = 0;
  /** When the last step ended and the last flush stopped holding a thread: the quiet since then. */
  private lastStepEnd = 0;
  private lastFlushEnd = 0;
  private quietCheckPending = false;
  /** Growth of the waiting queues' high-water marks over all stores (their memory): at most MAX_QUEUED_MESSAGES. */
  private queuedHighWater = 0;
  private lastMoveEnd: number | null = null;
  private readonly sampler: Sampler;
  private finished = false;
  private progressShown = 0;

  constructor(runbook: Runbook, options: SimulateOptions = {}) {
    this.settings = resolveSettings(runbook, options);
    this.shouldCancel = options.shouldCancel;
    this.rng = new Sfc32(this.settings.seed);
    this.refillExponentials();
    const { assumptions } = this.settings;

    // A server with no load that no step names is idle: nothing can happen on its store, so it gets
    // no store model, no series and no summary, only its name in the result (`idleServers`). A run
    // then costs what its working servers cost, however many idle ones the runbook declares.
    const named = new Set<string>();
    for (const step of runbook.steps) for (const key of serversOfStep(step)) named.add(key);
    const seen = new Set<string>();
    for (const server of runbook.servers) {
      const key = server.name ? serverKey(server.name.value) : undefined;
      if (!key || seen.has(key)) continue;
      seen.add(key);
      const load = server.load;
      const deliveryPerMinute = nonNegative(load.localDeliveryPerMinute?.value);
      const owaPerMinute = nonNegative(load.owaRequestsPerMinute?.value);
      if (deliveryPerMinute === 0 && owaPerMinute === 0 && !named.has(key)) {
        this.idleServers.push(server.name!.value);
        continue;
      }
      const threads = server.taskThreads?.value ?? assumptions.storeTaskThreads;
      const store = new Store(
        this.stores.length,
        server.name!.value,
        inventoryState(server),
        Math.max(0, Math.floor(threads)),
        deliveryPerMinute,
        nonNegative(load.deliveryServiceMs?.value ?? assumptions.deliveryServiceMs) / 60000,
        owaPerMinute,
        nonNegative(load.owaServiceMs?.value ?? assumptions.owaServiceMs) / 60000,
      );
      this.stores.push(store);
      this.storesByKey.set(key, store);
    }
    if (this.stores.length >= 1 << (31 - KIND_BITS))
      throw new SimulationError('invalid', 'this runbook declares too many servers to simulate');

    const schedule = buildSchedule(runbook, assumptions);
    this.clockOrigin = schedule.clockOrigin ?? null;
    runbook.steps.forEach((step, index) => {
      const explicitStart = step.start ? schedule.steps[index].start : null;
      const timing = schedule.steps[index];
      this.runs.push(
        new StepRun(
          step,
          index,
          step.id?.value ?? `step ${index + 1}`,
          step.action?.value ?? 'unknown',
          explicitStart,
          timing.end - timing.start,
        ),
      );
    });
    for (const run of this.runs) this.prepareMove(run);

    const hasMoves = this.runs.some((run) => run.source !== null);
    const plannedEnd = hasMoves ? schedule.end + this.settings.flushTimeout : schedule.end;
    this.estimatedDuration = this.settings.explicitDuration ?? plannedEnd;
    this.horizon = this.settings.explicitDuration ?? HORIZON_FACTOR * plannedEnd + 1440;
    this.endTime = this.horizon;
    this.explicitStarts = this.runs.flatMap((run) => (run.explicitStart === null ? [] : [run.explicitStart])).sort((a, b) => a - b);
    this.mayFastForward = this.explicitStarts.length > 0 && this.stores.every(keepsUp);
    const skips = this.mayFastForward ? plannedSkips(this.runs, schedule.steps, this.settings.flushTimeout, this.estimatedDuration) : [];
    const plan = planRun({ settings: this.settings, stores: this.stores, runs: this.runs, duration: this.estimatedDuration, skips });
    this.estimatedEvents = plan.estimatedEvents;
    // Every store has load or is named by a step; those named only by a move the simulator cannot
    // place never change, and are written out constant.
    const changing = new Set<Store>();
    for (const run of this.runs) {
      if (run.source) changing.add(run.source).add(run.target!);
      const server = run.step.server ? this.storesByKey.get(serverKey(run.step.server.value)) : undefined;
      if (server) changing.add(server);
    }
    this.sampler = new Sampler(
      this.stores,
      this.stores.filter((store) => store.deliveryPerMinute > 0 || store.owaPerMinute > 0 || changing.has(store)),
      plan,
    );

    for (const store of this.stores) {
      if (store.deliveryPerMinute > 0) this.queue.push(this.interarrival(store.deliveryPerMinute), code(DELIVERY_ARRIVAL, store), 0, 0);
      if (store.owaPerMinute > 0) this.queue.push(this.interarrival(store.owaPerMinute), code(OWA_ARRIVAL, store), 0, 0);
    }
    for (const run of this.runs) {
      if (run.explicitStart !== null) this.queue.push(run.explicitStart, STEP_START, run.index, 0);
      else if (run.index === 0) this.queue.push(0, STEP_START, 0, 0);
    }
    if (this.runs.length === 0 && this.settings.explicitDuration === null) this.endTime = 0;
  }

  private get now(): number {
    return this.clock[0];
  }

  /** How far the run has got, 0..1. */
  get progress(): number {
    if (this.finished) return 1;
    const planned = this.endTime < this.horizon ? this.endTime : this.estimatedDuration;
    const fraction = planned > 0 ? Math.min(0.999, Math.max(0, this.now / planned)) : 0;
    // A run that outlasts its plan (moves stalled by exhaustion) must not go backwards once its real end is known.
    this.progressShown = Math.max(this.progressShown, fraction);
    return this.progressShown;
  }

  /** Processes up to `maxEvents` events; true when the run has finished. Throws SimulationError. */
  runFor(maxEvents: number): boolean {
    if (this.finished) return true;
    let remaining = Math.max(1, Math.floor(maxEvents));
    while (remaining > 0) {
      if (this.shouldCancel?.()) throw new SimulationError('cancelled', 'the simulation was cancelled');
      const slice = Math.min(remaining, CANCEL_CHECK_EVENTS);
      const processed = this.step(slice);
      remaining -= slice;
      if (processed < 0) {
        this.finish();
        return true;
      }
    }
    return false;
  }

  /** The result so far (the full result once runFor has returned true). */
  result(): SimulationResult {
    return buildResult({
      stores: this.stores,
      idleServers: this.idleServers,
      sampler: this.sampler,
      runs: this.runs,
      settings: this.settings,
      clockOrigin: this.clockOrigin,
      events: this.events,
      duration: this.finished ? this.endTime : this.now,
    });
  }

  // ---------------------------------------------------------------- the event loop

  /**
   * Handles up to `limit` events; returns how many, or -1 when the run has reached its end.
   * The hot path (deliveries and OWA) is written so the heap is touched from one call site
   * each (the JIT inlines them) and no number is passed to a call that is not inlined (that
   * would box it): each event decides what becomes of the top event (kept with a new time, or
   * popped) and at most one new event to push, and both happen once below the switch.
   */
  private step(limit: number): number {
    const q = this.queue;
    const stores = this.stores;
    const exponential = this.settings.exponentialService;
    const budget = this.settings.maxEvents;
    let handled = 0;
    while (handled < limit) {
      if (q.size === 0) {
        // Nothing left to happen: a default-length run ends here (an explicit duration still runs out).
        if (this.settings.explicitDuration === null) this.endTime = Math.min(this.endTime, Math.max(this.now, this.settledEnd()));
        return -1;
      }
      const now = q.time[0];
      if (now > this.endTime) return -1;
      const top = q.slot[0];
      const eventCode = q.code[top];
      const kind = eventCode & KIND_MASK;
      if (kind === CANCELLED) {
        q.settleTop(false, 0, 0, 0, 0);
        continue;
      }
      if (this.events >= budget) throw exhaustedBudgetError(this.events, this.progress, this.estimatedEvents, budget);
      this.events++;
      handled++;
      this.clock[0] = now;
      if (now > this.sampler.nextSample) this.takeSamples();
      if (kind > OWA_DONE) {
        // Events the handler schedules come after this one, so it stays on top until settled.
        this.handleRare(eventCode, top);
        q.settleTop(false, 0, 0, 0, 0);
        continue;
      }
      const store = stores[eventCode >> KIND_BITS];
      let keepTop = false;
      let topTime = 0;
      let topAux = 0;
      let pushTime = -1;
      let pushCode = 0;
      let released = false;
      switch (kind) {
        case DELIVERY_ARRIVAL: {
          keepTop = true;
          topTime = now + this.exponentials[this.exponentialIndex++] / store.deliveryPerMinute;
          if (this.exponentialIndex === EXPONENTIAL_BATCH) this.refillExponentials();
          store.deliveriesArrived++;
          if (store.up && store.busy < store.pool) {
            let service = store.deliveryServiceMinutes;
            if (exponential) {
              service *= this.exponentials[this.exponentialIndex++];
              if (this.exponentialIndex === EXPONENTIAL_BATCH) this.refillExponentials();
            }
            if (++store.busy > store.peakBusy) store.peakBusy = store.busy;
            store.busyDelivery++;
            pushTime = now + service;
            pushCode = eventCode + (DELIVERY_DONE - DELIVERY_ARRIVAL);
          } else {
            store.deliveryQueue.push(now);
            if (store.deliveryQueue.length > store.maxDeliveryQueue) this.raiseDeliveryHighWater(store, now);
            if (store.deliveryQueue.length === LOCAL_QUEUE_THRESHOLD + 1) queueRose(store, now);
            if (!store.episodeActive) startEpisode(store, now);
          }
          break;
        }
        case DELIVERY_DONE: {
          const arrival = q.aux[top];
          const delay = now - arrival;
          store.deliveriesCompleted++;
          store.deliverySums[0] += q.aux2[top] - arrival;
          store.deliverySums[1] += delay;
          store.delays.add(delay * 60000);
          if (store.deliveryQueue.length > 0 && store.otherLive === 0 && store.owaQueue.length === 0) {
            // The next waiting work is a delivery: it takes this thread over.
            let service = store.deliveryServiceMinutes;
            if (exponential) {
              service *= this.exponentials[this.exponentialIndex++];
              if (this.exponentialIndex === EXPONENTIAL_BATCH) this.refillExponentials();
            }
            keepTop = true;
            topTime = now + service;
            topAux = store.deliveryQueue.shift();
            if (store.deliveryQueue.length === LOCAL_QUEUE_THRESHOLD) queueFell(store, now);
            if (store.deliveryQueue.length === 0 && store.episodeActive) released = true;
          } else {
            store.busy--;
            store.busyDelivery--;
            released = store.waiting > 0 || store.episodeActive;
          }
          break;
        }
        case OWA_ARRIVAL: {
          keepTop = true;
          topTime = now + this.exponentials[this.exponentialIndex++] / store.owaPerMinute;
          if (this.exponentialIndex === EXPONENTIAL_BATCH) this.refillExponentials();
          store.owaRequests++;
          if (store.up && store.busy < store.pool) {
            let service = store.owaServiceMinutes;
            if (exponential) {
              service *= this.exponentials[this.exponentialIndex++];
              if (this.exponentialIndex === EXPONENTIAL_BATCH) this.refillExponentials();
            }
            if (++store.busy > store.peakBusy) store.peakBusy = store.busy;
            store.busyOwa++;
            pushTime = now + service;
            pushCode = eventCode + (OWA_DONE - OWA_ARRIVAL);
          } else {
            this.expireOwa(store);
            store.owaQueue.push(now);
            if (store.owaQueue.length > store.maxOwaQueue) this.raiseOwaHighWater(store);
            if (!store.episodeActive) startEpisode(store, now);
          }
          break;
        }
        default: {
          // OWA_DONE
          store.busy--;
          store.busyOwa--;
          released = store.waiting > 0 || store.episodeActive;
        }
      }
      q.settleTop(keepTop, topTime, eventCode, topAux, now);
      if (pushTime >= 0) q.push(pushTime, pushCode, now, now);
      if (released) this.afterRelease(store);
    }
    return handled;
  }

  /** Steps, moves and flushes: rare next to deliveries, so handled out of the hot loop. */
  private handleRare(eventCode: number, slot: number): void {
    const aux = this.queue.aux[slot];
    const now = this.now;
    switch (eventCode & KIND_MASK) {
      case MOVE_END:
        this.endMove(this.lanes[aux], now);
        break;
      case FLUSH_END: {
        const store = this.stores[eventCode >> KIND_BITS];
        const starts = store.flushStarts[aux];
        store.flushThreadMinutes += now - starts.shift();
        store.busy--;
        store.busyFlush--;
        this.lastFlushEnd = now;
        if (starts.length > 0) this.queue.push(starts.peek() + this.flushMinutes(aux), eventCode, aux, 0);
        this.afterRelease(store);
        break;
      }
      case STEP_START:
        this.startStep(this.runs[aux], now);
        break;
      case STEP_END:
        this.endStep(this.runs[aux], now);
        break;
      case QUIET_CHECK:
        this.quietCheckPending = false;
        this.fastForwardIfQuiet(now);
        break;
    }
  }

  /** A thread was freed or the last waiting work left: hand threads on, or end an exhaustion episode. */
  private afterRelease(store: Store): void {
    if (store.waiting > 0) this.dispatch(store);
    else if (store.episodeActive) endEpisode(store, this.now, this.runs);
  }

  private refillExponentials(): void {
    fillExponentials(this.rng, this.exponentials);
    this.exponentialIndex = 0;
  }

  /** One exponential variate with mean 1, from the same stream as the hot loop. */
  private drawExponential(): number {
    const value = this.exponentials[this.exponentialIndex++];
    if (this.exponentialIndex === EXPONENTIAL_BATCH) this.refillExponentials();
    return value;
  }

  /** Records every sample whose time is before `time` (default: now): the state after all events up to it. */
  private takeSamples(time = this.now): void {
    this.sampler.takeUntil(time, this.endTime, this.prepareSample);
  }

  /** Brings a store up to a sample's time: OWA requests that have expired leave, a long enough episode counts. */
  private readonly prepareSample = (store: Store, sampleTime: number): void => {
    this.expireOwa(store, sampleTime);
    if (store.episodeActive && !store.episodeConfirmed && sampleTime - store.episodeStart >= EXHAUSTION_MIN_MINUTES)
      confirmEpisode(store, this.runs);
  };

  private finish(): void {
    if (this.finished) return;
    this.takeSamples(this.endTime + this.settings.sampleInterval * 1e-9);
    for (const store of this.stores) {
      this.expireOwa(store, this.endTime);
      if (store.episodeActive) endEpisode(store, this.endTime, this.runs);
    }
    this.clock[0] = this.endTime;
    this.finished = true;
  }

  /** When the run ends by default, once every step has finished. */
  private settledEnd(): number {
    let lastStepEnd = 0;
    for (const run of this.runs) if (run.finished && run.end > lastStepEnd) lastStepEnd = run.end;
    const moveEnd = this.lastMoveEnd === null ? 0 : this.lastMoveEnd + this.settings.flushTimeout;
    return Math.max(lastStepEnd, moveEnd);
  }

  // ---------------------------------------------------------------- threads and queues

  /** Hands free threads to waiting work, oldest first. */
  private dispatch(store: Store): void {
    if (!store.up) return;
    // `now` is read from the field, not passed: numbers passed to calls that are not inlined get boxed.
    const now = this.now;
    const exponential = this.settings.exponentialService;
    while (store.busy < store.pool) {
      if (store.owaQueue.length > 0) this.expireOwa(store);
      let choice = 0;
      let oldest = Infinity;
      if (store.otherLive > 0) {
        while (!store.other[store.otherHead].live) store.otherHead++;
        oldest = store.other[store.otherHead].time;
        choice = 3;
      }
      if (store.deliveryQueue.length > 0 && store.deliveryQueue.peek() < oldest) {
        oldest = store.deliveryQueue.peek();
        choice = 1;
      }
      if (store.owaQueue.length > 0 && store.owaQueue.peek() < oldest) choice = 2;
      if (choice === 0) break;
      if (choice === 3) {
        const work = store.other[store.otherHead];
        work.live = false;
        store.otherHead++;
        store.otherLive--;
        this.compactOther(store);
        this.takeThread(store);
        if (work.type === WAIT_FLUSH) this.holdFlush(store, work.flushKind, now);
        else this.grantMoveThread(work.lane!, work.type, now);
        continue;
      }
      let service: number;
      let eventCode: number;
      let arrival: number;
      if (choice === 1) {
        arrival = store.deliveryQueue.shift();
        if (store.deliveryQueue.length === LOCAL_QUEUE_THRESHOLD) queueFell(store, now);
        store.busyDelivery++;
        service = store.deliveryServiceMinutes;
        eventCode = code(DELIVERY_DONE, store);
      } else {
        arrival = store.owaQueue.shift();
        store.busyOwa++;
        service = store.owaServiceMinutes;
        eventCode = code(OWA_DONE, store);
      }
      if (exponential) {
        service *= this.exponentials[this.exponentialIndex++];
        if (this.exponentialIndex === EXPONENTIAL_BATCH) this.refillExponentials();
      }
      if (++store.busy > store.peakBusy) store.peakBusy = store.busy;
      this.queue.push(now + service, eventCode, arrival, now);
    }
    if (store.waiting === 0) {
      if (store.episodeActive) endEpisode(store, now, this.runs);
    } else if (!store.episodeActive) {
      startEpisode(store, now);
    }
  }

  private takeThread(store: Store): void {
    if (++store.busy > store.peakBusy) store.peakBusy = store.busy;
  }

  private enqueueOther(store: Store, type: number, lane: Lane | null, flushKind: number, now: number): OtherWork {
    const work: OtherWork = { time: now, type, lane, flushKind, live: true };
    store.other.push(work);
    store.otherLive++;
    if (!store.episodeActive) startEpisode(store, this.now);
    return work;
  }

  private compactOther(store: Store): void {
    if (store.otherLive === 0) {
      store.other = [];
      store.otherHead = 0;
    } else if (store.otherHead > 1024 && store.otherHead * 2 > store.other.length) {
      store.other = store.other.slice(store.otherHead);
      store.otherHead = 0;
    }
  }

  private interarrival(perMinute: number): number {
    return this.drawExponential() / perMinute;
  }

  /** OWA requests that have waited longer than owaTimeout leave the queue unanswered. */
  private expireOwa(store: Store, now = this.now): void {
    const limit = now - this.settings.owaTimeout;
    while (store.owaQueue.length > 0 && store.owaQueue.peek() < limit) {
      store.owaQueue.shift();
      store.owaUnanswered++;
    }
  }

  // ---------------------------------------------------------------- steps

  private prepareMove(run: StepRun): void {
    const step = run.step;
    if (step.action?.value !== 'move-mailboxes' || !step.mailboxes || !step.from || !step.to) return;
    const source = this.storesByKey.get(serverKey(step.from.value));
    const target = this.storesByKey.get(serverKey(step.to.value));
    // Source and target may be one store: a rebalance between two of its databases holds two of its threads.
    if (!source || !target) return;
    const throughput = step.throughputMBPerMinute?.value ?? this.settings.assumptions.moveThroughputMBPerMinute;
    if (!(throughput > 0)) {
      throw new SimulationError('invalid', `step \`${run.id}\`: the move throughput must be more than 0 MB per minute`);
    }
    run.source = source;
    run.target = target;
    run.throughput = throughput;
    run.mailboxCount = step.mailboxes.value.count;
  }

  private startStep(run: StepRun, now: number): void {
    if (run.started) return;
    run.started = true;
    run.start = now;
    this.runningSteps++;
    const step = run.step;
    const { assumptions } = this.settings;
    const store = step.server ? this.storesByKey.get(serverKey(step.server.value)) : undefined;
    if (store) {
      // The action table says what the step changes and whether it stops the store (model/actions.ts).
      const effect = stepEffect(step, store.state);
      store.state = effect.state;
      run.stopsStore = effect.outage?.store !== undefined;
    }
    if (run.source) {
      if (run.mailboxCount === 0) return this.endStep(run, now);
      const laneCount = Math.min(run.mailboxCount, Math.max(1, Math.floor(step.concurrency?.value ?? 1)));
      for (let i = 0; i < laneCount; i++) {
        const lane = new Lane(this.lanes.length, run, run.source, run.target!);
        this.lanes.push(lane);
        this.nextMailbox(lane, now);
      }
      return;
    }
    // A move the simulator cannot place (an undeclared server) only takes time.
    let minutes = stepMinutes(step, assumptions);
    if (!(minutes >= 0) || !Number.isFinite(minutes)) minutes = 0;
    if (store && run.stopsStore) {
      store.restartedBy = run.id;
      this.storeDown(store, now);
    }
    this.queue.push(now + minutes, STEP_END, run.index, 0);
  }

  private endStep(run: StepRun, now: number): void {
    if (run.finished) return;
    run.finished = true;
    run.end = now;
    this.runningSteps--;
    this.lastStepEnd = now;
    const step = run.step;
    const store = step.server ? this.storesByKey.get(serverKey(step.server.value)) : undefined;
    if (store && run.stopsStore) this.storeUp(store, now);
    const next = this.runs[run.index + 1];
    if (next && next.explicitStart === null) this.queue.push(now, STEP_START, next.index, 0);
    this.finishedSteps++;
    if (this.finishedSteps === this.runs.length && this.settings.explicitDuration === null) {
      this.endTime = Math.min(this.horizon, Math.max(now, this.settledEnd()));
    }
    // Quiet only if the next step in order is not about to begin now.
    if (this.runningSteps === 0 && !(next && next.explicitStart === null)) this.scheduleQuietCheck(now, now);
  }

  // ---------------------------------------------------------------- mailbox moves

  private nextMailbox(lane: Lane, now: number): void {
    const run = lane.run;
    if (run.nextMailbox >= run.mailboxCount) {
      lane.phase = 0;
      return;
    }
    lane.sizeMB = Math.max(0, run.mailboxSize(run.nextMailbox++));
    this.requestSource(lane, now);
  }

  private requestSource(lane: Lane, now: number): void {
    const source = lane.source;
    lane.phase = 1;
    if (source.up && source.busy < source.pool) {
      this.takeThread(source);
      this.grantMoveThread(lane, WAIT_MOVE_SOURCE, now);
    } else {
      lane.waitingEntry = this.enqueueOther(source, WAIT_MOVE_SOURCE, lane, HOLD_FLUSH, now);
    }
  }

  /** The lane has just been given a thread (already counted in `busy`) on the source or target. */
  private grantMoveThread(lane: Lane, type: number, now: number): void {
    lane.waitingEntry = null;
    if (type === WAIT_MOVE_SOURCE) {
      lane.source.busyMove++;
      lane.phase = 2;
      const target = lane.target;
      if (target.up && target.busy < target.pool) {
        this.takeThread(target);
        this.grantMoveThread(lane, WAIT_MOVE_TARGET, now);
      } else {
        lane.waitingEntry = this.enqueueOther(target, WAIT_MOVE_TARGET, lane, HOLD_FLUSH, now);
      }
    } else {
      lane.target.busyMove++;
      lane.phase = 3;
      this.queue.push(now + lane.sizeMB / lane.run.throughput, code(MOVE_END, lane.source), lane.id, 0);
    }
  }

  private endMove(lane: Lane, now: number): void {
    const { source, target, run } = lane;
    source.busy--;
    source.busyMove--;
    target.busy--;
    target.busyMove--;
    lane.phase = 0;
    this.dispatch(source);
    this.dispatch(target);
    this.registerFlush(source, run.step, now);
    run.movedMailboxes++;
    this.lastMoveEnd = now;
    this.nextMailbox(lane, now);
    if (run.movedMailboxes === run.mailboxCount) this.endStep(run, now);
  }

  /** KB924567: the source registers a transit-mail flush as its state (and the move's source database) at this moment dictates. */
  private registerFlush(store: Store, step: Step, now: number): void {
    const behaviour = moveFlushBehaviour(store.state, step);
    if (behaviour === 'none') return;
    const kind = behaviour === 'brief' ? BRIEF_FLUSH : HOLD_FLUSH;
    if (kind === BRIEF_FLUSH) this.settings.assumed.add('flushWithMtaRunningSeconds');
    store.flushRegistered++;
    if (store.up && store.busy < store.pool) {
      this.takeThread(store);
      this.holdFlush(store, kind, now);
    } else {
      this.enqueueOther(store, WAIT_FLUSH, null, kind, now);
    }
  }

  /** How long a flush of this kind holds its thread, minutes. */
  private flushMinutes(kind: number): number {
    return kind === BRIEF_FLUSH ? this.settings.assumptions.flushWithMtaRunningSeconds / 60 : this.settings.flushTimeout;
  }

  /** The flush has its thread (already counted in `busy`); it holds it for its kind's time. */
  private holdFlush(store: Store, kind: number, now: number): void {
    store.busyFlush++;
    const starts = store.flushStarts[kind];
    starts.push(now);
    if (starts.length === 1) this.queue.push(now + this.flushMinutes(kind), code(FLUSH_END, store), kind, 0);
  }

  // ---------------------------------------------------------------- quiet stretches (quiet.ts)

  /** The run has been quiet since `since`: look again once QUIET_MARGIN_MINUTES of it have passed, if a long gap lies ahead. */
  private scheduleQuietCheck(since: number, now: number): void {
    if (!this.mayFastForward || this.quietCheckPending) return;
    const nextStart = this.nextStepStart(now);
    if (nextStart === null || !worthSkipping(since, nextStart)) return;
    this.quietCheckPending = true;
    this.queue.push(Math.max(now, since + QUIET_MARGIN_MINUTES), QUIET_CHECK, 0, 0);
  }

  /** The first explicit step start after `now`, or null. */
  private nextStepStart(now: number): number | null {
    const starts = this.explicitStarts;
    while (this.nextExplicitStart < starts.length && starts[this.nextExplicitStart] <= now) this.nextExplicitStart++;
    return this.nextExplicitStart < starts.length ? starts[this.nextExplicitStart] : null;
  }

  private fastForwardIfQuiet(now: number): void {
    if (this.runningSteps > 0) return; // a step has begun; its end looks again
    // Flushes outlive the move that registered them: the quiet begins when the last one stops holding a thread.
    let flushesUntil = this.lastFlushEnd;
    for (const store of this.stores) {
      for (let kind = HOLD_FLUSH; kind <= BRIEF_FLUSH; kind++) {
        const starts = store.flushStarts[kind];
        if (starts.length > 0) flushesUntil = Math.max(flushesUntil, starts.at(starts.length - 1) + this.flushMinutes(kind));
      }
      // A flush waiting for a thread will hold one later: look again after a while.
      if (store.otherLive > 0) flushesUntil = Math.max(flushesUntil, now);
    }
    const quietSince = Math.max(this.lastStepEnd, flushesUntil);
    if (quietSince + QUIET_MARGIN_MINUTES > now) return this.scheduleQuietCheck(quietSince, now);
    const nextStart = this.nextStepStart(now);
    if (nextStart === null) return;
    const target = Math.min(nextStart, this.endTime) - QUIET_MARGIN_MINUTES;
    if (target - now >= QUIET_MARGIN_MINUTES) this.fastForward(now, target);
  }

  /**
   * Moves the clock from `now` to `target` with every store as it is: background events (arrivals,
   * work in service) move with the clock, and so do the arrival times of waiting work, so ages and
   * delays do not include the skipped time. Steps keep their times. An exhaustion episode under way
   * ends at `now` and, if work still waits, a new one begins at `target`.
   */
  private fastForward(now: number, target: number): void {
    const delta = target - now;
    for (const store of this.stores) if (store.episodeActive) endEpisode(store, now, this.runs);
    const q = this.queue;
    for (let i = 0; i < q.size; i++) {
      const slot = q.slot[i];
      const kind = q.code[slot] & KIND_MASK;
      if (kind < DELIVERY_ARRIVAL || kind > OWA_DONE) continue;
      q.time[i] += delta;
      if (kind === DELIVERY_DONE || kind === OWA_DONE) {
        q.aux[slot] += delta;
        q.aux2[slot] += delta;
      }
    }
    q.reorder();
    for (const store of this.stores) {
      store.deliveryQueue.addToAll(delta);
      store.owaQueue.addToAll(delta);
    }
    this.sampler.skip(now, target);
    this.clock[0] = target;
    for (const store of this.stores) if (store.waiting > 0) startEpisode(store, target);
  }

  // ---------------------------------------------------------------- memory of the waiting queues

  private raiseDeliveryHighWater(store: Store, now: number): void {
    this.queuedHighWater += store.deliveryQueue.length - store.maxDeliveryQueue;
    store.maxDeliveryQueue = store.deliveryQueue.length;
    store.maxDeliveryQueueAt = now;
    store.maxDeliveryQueueDownFor = store.up ? null : store.restartedBy;
    if (this.queuedHighWater > MAX_QUEUED_MESSAGES) throw queueLimitError(store);
  }

  private raiseOwaHighWater(store: Store): void {
    this.queuedHighWater += store.owaQueue.length - store.maxOwaQueue;
    store.maxOwaQueue = store.owaQueue.length;
    if (this.queuedHighWater > MAX_QUEUED_MESSAGES) throw queueLimitError(store);
  }

  // ---------------------------------------------------------------- restarts

  /** The store goes down: in-flight work is lost (and retried later), flushes are cleared. */
  private storeDown(store: Store, now: number): void {
    store.downCount++;
    if (!store.up) return;
    if (store.episodeActive) endEpisode(store, now, this.runs);
    store.up = false;
    const q = this.queue;
    const deliveries: number[] = [];
    const owa: number[] = [];
    const aborted: Lane[] = [];
    const released = new Set<Store>();
    for (let i = 0; i < q.size; i++) {
      const slot = q.slot[i];
      const kind = q.code[slot] & KIND_MASK;
      if (kind === MOVE_END) {
        const lane = this.lanes[q.aux[slot]];
        if (lane.source !== store && lane.target !== store) continue;
        const survivor = lane.source === store ? lane.target : lane.source;
        survivor.busy--;
        survivor.busyMove--;
        released.add(survivor);
        aborted.push(lane);
        q.code[slot] = CANCELLED;
        continue;
      }
      if (q.code[slot] >> KIND_BITS !== store.index) continue;
      if (kind === DELIVERY_DONE) deliveries.push(q.aux[slot]);
      else if (kind === OWA_DONE) owa.push(q.aux[slot]);
      else if (kind !== FLUSH_END) continue;
      q.code[slot] = CANCELLED;
    }
    // Moves holding this source's thread while they wait for the target lose it too.
    for (const lane of this.lanes) {
      if (lane.phase === 2 && lane.source === store && lane.waitingEntry) {
        lane.waitingEntry.live = false;
        lane.target.otherLive--;
        lane.waitingEntry = null;
        aborted.push(lane);
      }
    }
    // The restart ends the flushes holding threads, and those that were waiting for one.
    for (const starts of store.flushStarts) {
      while (starts.length > 0) store.flushThreadMinutes += now - starts.shift();
    }
    for (let i = store.otherHead; i < store.other.length; i++) {
      const work = store.other[i];
      if (work.live && work.type === WAIT_FLUSH) {
        work.live = false;
        store.otherLive--;
      }
    }
    this.compactOther(store);
    deliveries.sort((a, b) => b - a).forEach((arrival) => store.deliveryQueue.unshift(arrival));
    owa.sort((a, b) => b - a).forEach((arrival) => store.owaQueue.unshift(arrival));
    if (store.deliveryQueue.length > store.maxDeliveryQueue) this.raiseDeliveryHighWater(store, now);
    queueMoved(store, now);
    if (store.owaQueue.length > store.maxOwaQueue) this.raiseOwaHighWater(store);
    store.busy = store.busyDelivery = store.busyOwa = store.busyMove = store.busyFlush = 0;
    for (const survivor of released) if (survivor !== store) this.dispatch(survivor);
    aborted.sort((a, b) => a.id - b.id);
    for (const lane of aborted) this.requestSource(lane, now);
  }

  private storeUp(store: Store, now: number): void {
    store.downCount = Math.max(0, store.downCount - 1);
    if (store.downCount > 0 || store.up) return;
    store.up = true;
    store.upAt = now;
    store.backlogAtUp = store.waiting;
    this.dispatch(store);
  }
}

function code(kind: number, store: Store): number {
  return kind | (store.index << KIND_BITS);
}

function nonNegative(value: number | undefined): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : 0;
}
