/**
 * The time series: every `interval` minutes, each server's threads by kind, its local delivery
 * queue and its pool. A sample is the state after every event before its time.
 *
 * Stored compactly: one Float64Array of rows (a row per sample: FIELDS values per server that can
 * change) and one of sample indices (a sample's time is index × interval), sized from the plan.
 * Only stores are sampled: an idle server (no load, named by no step) has no store and no series
 * (engine.ts), and a store named only by a move the simulator cannot place never changes, so its
 * series is written out constant. Samples per server never exceed MAX_SERIES_POINTS ÷ servers
 * (the result holds every server's series): a run that outgrows its plan keeps every other
 * sample and doubles its interval (`widenedFrom` says so), so memory stays bounded whatever the
 * run does. Quiet stretches the run skips (quiet.ts) hold no samples.
 */
import { MAX_SERIES_POINTS } from './budget';
import type { Stretch } from './quiet';
import type { ServerSeries } from './result';
import type { Store } from './store';

const DELIVERY = 0;
const OWA = 1;
const MOVE = 2;
const FLUSH = 3;
const DELIVERY_QUEUE = 4;
const POOL = 5;
const FIELDS = 6;

export class Sampler {
  /** Minutes between samples (doubled when the run outgrows its plan). */
  interval: number;
  /** The interval asked for, when the plan or the run had to widen it; else null. */
  widenedFrom: number | null;
  /** Time of the next sample (cached for the event loop). */
  nextSample = 0;
  /** Quiet stretches skipped, in order. */
  readonly skipped: Stretch[] = [];
  private nextIndex = 0;
  private count = 0;
  private indices: Float64Array;
  private rows: Float64Array;
  private readonly rowLength: number;
  private readonly maxRows: number;
  /** Each store's position in a row (FIELDS × its place among the sampled stores), or -1 when it never changes. */
  private readonly rowOffset: Int32Array;

  /** `sampled`: the stores whose state can change (the others keep their initial state throughout). */
  constructor(
    stores: readonly Store[],
    private readonly sampled: readonly Store[],
    plan: { sampleInterval: number; widenedFrom: number | null; expectedSamples: number },
  ) {
    this.interval = plan.sampleInterval;
    this.widenedFrom = plan.widenedFrom;
    this.rowOffset = new Int32Array(stores.length).fill(-1);
    sampled.forEach((store, position) => (this.rowOffset[store.index] = position * FIELDS));
    this.rowLength = sampled.length * FIELDS;
    this.maxRows = Math.max(2, Math.floor(MAX_SERIES_POINTS / Math.max(1, stores.length)));
    const capacity = Math.min(this.maxRows, Math.max(16, plan.expectedSamples + 2));
    this.indices = new Float64Array(capacity);
    this.rows = new Float64Array(capacity * this.rowLength);
    // No store, no series: nothing is ever sampled.
    if (stores.length === 0) this.nextSample = Infinity;
  }

  /**
   * Records every sample whose time is before `time` and not after `endTime`. `prepare` brings a
   * store up to the sample's time first (expired OWA requests, episodes long enough to count).
   */
  takeUntil(time: number, endTime: number, prepare: (store: Store, sampleTime: number) => void): void {
    if (this.rowOffset.length === 0) return;
    for (let sampleTime = this.nextIndex * this.interval; sampleTime < time && sampleTime <= endTime;) {
      if (this.count === this.maxRows) {
        this.halve();
      } else {
        if (this.count === this.indices.length) this.grow();
        this.record(sampleTime, prepare);
      }
      sampleTime = this.nextIndex * this.interval;
    }
    this.nextSample = this.nextIndex * this.interval;
  }

  /** The clock jumps from `from` to `to` (a quiet stretch): no samples in between. */
  skip(from: number, to: number): void {
    this.skipped.push({ start: from, end: to });
    if (this.rowOffset.length === 0) return;
    this.nextIndex = Math.max(this.nextIndex, Math.ceil(to / this.interval));
    this.nextSample = this.nextIndex * this.interval;
  }

  /** One server's series as plain arrays (what the result carries across JSON and postMessage). */
  seriesOf(store: Store): ServerSeries {
    const count = this.count;
    const t = new Array<number>(count);
    for (let i = 0; i < count; i++) t[i] = this.indices[i] * this.interval;
    const offset = this.rowOffset[store.index];
    if (offset < 0) {
      const zeros = () => new Array<number>(count).fill(0);
      return {
        t,
        delivery: zeros(),
        owa: zeros(),
        move: zeros(),
        flush: zeros(),
        deliveryQueue: zeros(),
        pool: new Array<number>(count).fill(store.pool),
      };
    }
    const series: ServerSeries = {
      t,
      delivery: new Array<number>(count),
      owa: new Array<number>(count),
      move: new Array<number>(count),
      flush: new Array<number>(count),
      deliveryQueue: new Array<number>(count),
      pool: new Array<number>(count),
    };
    const rows = this.rows;
    for (let i = 0, base = offset; i < count; i++, base += this.rowLength) {
      series.delivery[i] = rows[base + DELIVERY];
      series.owa[i] = rows[base + OWA];
      series.move[i] = rows[base + MOVE];
      series.flush[i] = rows[base + FLUSH];
      series.deliveryQueue[i] = rows[base + DELIVERY_QUEUE];
      series.pool[i] = rows[base + POOL];
    }
    return series;
  }

  private record(sampleTime: number, prepare: (store: Store, sampleTime: number) => void): void {
    const rows = this.rows;
    let base = this.count * this.rowLength;
    for (const store of this.sampled) {
      prepare(store, sampleTime);
      rows[base + DELIVERY] = store.busyDelivery;
      rows[base + OWA] = store.busyOwa;
      rows[base + MOVE] = store.busyMove;
      rows[base + FLUSH] = store.busyFlush;
      rows[base + DELIVERY_QUEUE] = store.deliveryQueue.length;
      rows[base + POOL] = store.up ? store.pool : 0;
      base += FIELDS;
    }
    this.indices[this.count++] = this.nextIndex++;
  }

  private grow(): void {
    const capacity = Math.min(this.maxRows, this.indices.length * 2);
    const indices = new Float64Array(capacity);
    indices.set(this.indices);
    const rows = new Float64Array(capacity * this.rowLength);
    rows.set(this.rows);
    this.indices = indices;
    this.rows = rows;
  }

  /** The series are full: keep the samples at even indices and double the interval (times stay exact). */
  private halve(): void {
    let kept = 0;
    for (let i = 0; i < this.count; i++) {
      const index = this.indices[i];
      if (index % 2 !== 0) continue;
      this.indices[kept] = index / 2;
      if (kept !== i) this.rows.copyWithin(kept * this.rowLength, i * this.rowLength, (i + 1) * this.rowLength);
      kept++;
    }
    this.count = kept;
    this.widenedFrom ??= this.interval;
    this.interval *= 2;
    this.nextIndex = Math.ceil(this.nextIndex / 2);
  }
}
