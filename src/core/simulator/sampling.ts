/**
 * The time series: every `sampleInterval` minutes, each server's threads by kind, its local
 * delivery queue and its pool. A sample is the state after every event before its time.
 */
import { MAX_SAMPLES, tooManySamplesError } from './budget';
import type { Store } from './store';

export class Sampler {
  private sampleCount = 0;
  /** Time of the next sample (sampleCount × interval, cached for the event loop). */
  nextSample = 0;

  constructor(readonly interval: number) {}

  /**
   * Records every sample whose time is before `time` and not after `endTime`. `prepare` brings a
   * store up to the sample's time first (expired OWA requests, episodes long enough to count).
   */
  takeUntil(time: number, endTime: number, stores: readonly Store[], prepare: (store: Store, sampleTime: number) => void): void {
    const interval = this.interval;
    for (
      let sampleTime = this.sampleCount * interval;
      sampleTime < time && sampleTime <= endTime;
      sampleTime = this.sampleCount * interval
    ) {
      if (this.sampleCount >= MAX_SAMPLES) throw tooManySamplesError();
      for (const store of stores) {
        prepare(store, sampleTime);
        const series = store.series;
        series.t.push(sampleTime);
        series.delivery.push(store.busyDelivery);
        series.owa.push(store.busyOwa);
        series.move.push(store.busyMove);
        series.flush.push(store.busyFlush);
        series.deliveryQueue.push(store.deliveryQueue.length);
        series.pool.push(store.up ? store.pool : 0);
      }
      this.sampleCount++;
    }
    this.nextSample = this.sampleCount * interval;
  }
}
