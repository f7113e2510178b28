/** The SimulationResult of a run so far: summaries, series (as plain arrays) and steps, from the engine's records. */
import type { Assumptions } from '../model/assumptions';
import type { SimulationResult, StepResult } from './result';
import type { Sampler } from './sampling';
import type { Settings } from './settings';
import type { StepRun, Store } from './store';
import { queueThresholdSummary } from './thresholds';

export interface RunRecords {
  stores: readonly Store[];
  /** The servers with no store model (engine.ts: no load, no step names them), in declaration order. */
  idleServers: readonly string[];
  sampler: Sampler;
  runs: readonly StepRun[];
  settings: Settings;
  clockOrigin: number | null;
  events: number;
  /** Minutes simulated so far (the end of the run once it has finished). */
  duration: number;
}

export function buildResult({ stores, idleServers, sampler, runs, settings, clockOrigin, events, duration }: RunRecords): SimulationResult {
  const servers: SimulationResult['servers'] = {};
  for (const store of stores) {
    let flushMinutes = store.flushThreadMinutes;
    // Flushes still holding a thread count up to the end of the run.
    for (const starts of store.flushStarts) {
      for (let i = 0; i < starts.length; i++) flushMinutes += Math.max(0, duration - starts.at(i));
    }
    const completed = store.deliveriesCompleted;
    servers[store.name] = {
      summary: {
        server: store.name,
        threadPool: store.pool,
        peakThreadsBusy: store.peakBusy,
        exhaustedAt: store.exhaustedAt,
        exhaustedDuringStep: store.exhaustedDuringStep,
        flushThreadsAtExhaustion: store.flushAtExhaustion,
        maxLocalDeliveryQueue: store.maxDeliveryQueue,
        maxLocalDeliveryQueueAt: store.maxDeliveryQueueAt >= 0 ? store.maxDeliveryQueueAt : null,
        maxLocalDeliveryQueueDownFor: store.maxDeliveryQueueDownFor,
        meanDeliveryWaitSeconds: completed > 0 ? (store.deliverySums[0] / completed) * 60 : 0,
        meanDeliveryDelaySeconds: completed > 0 ? (store.deliverySums[1] / completed) * 60 : 0,
        p95DeliveryDelaySeconds: store.delays.quantile(0.95) / 1000,
        owaUnanswered: store.owaUnanswered,
        owaRequests: store.owaRequests,
        flushTasksRegistered: store.flushRegistered,
        flushThreadMinutes: flushMinutes,
        deliveriesCompleted: completed,
        deliveriesArrived: store.deliveriesArrived,
        localQueueOverThreshold: queueThresholdSummary(store, duration),
        exhaustions: store.exhaustions.map((record) => ({ ...record })),
      },
      series: settings.series
        ? sampler.seriesOf(store)
        : { t: [], delivery: [], owa: [], move: [], flush: [], deliveryQueue: [], pool: [] },
    };
  }
  const steps: StepResult[] = runs.map((run) => ({
    id: run.id,
    index: run.index,
    action: run.action,
    start: run.started ? run.start : duration,
    end: run.finished ? run.end : duration,
    planned: run.planned,
    completed: run.finished,
  }));
  const { assumptions, assumed, fromCaller } = settings;
  const order = Object.keys(assumptions) as (keyof Assumptions)[];
  return {
    servers,
    idleServers: [...idleServers],
    steps,
    seed: settings.seed,
    events,
    duration,
    sampleInterval: sampler.interval,
    sampleIntervalWidenedFrom: sampler.widenedFrom,
    skipped: sampler.skipped.map((stretch) => ({ ...stretch })),
    clockOrigin,
    assumptions: {
      values: { ...assumptions, maxEvents: settings.maxEvents },
      assumed: order.filter((key) => assumed.has(key)),
      fromCaller: order.filter((key) => assumed.has(key) && fromCaller.has(key)),
    },
  };
}
