/**
 * A fixed-size histogram of delays in milliseconds, so percentiles need memory bounded by the
 * bucket count rather than by the number of deliveries. Buckets are exact below 256 ms and
 * then keep 7 significant bits (relative error under 0.8 %), the idea of an HDR histogram.
 * The buckets are allocated in chunks of SUB_BUCKETS as delays first fall into them: a server
 * without deliveries costs nothing, a typical one a few KB (a run may have 10,000 servers).
 */
const LINEAR_BUCKETS = 256;
const SUB_BUCKET_BITS = 7;
const SUB_BUCKETS = 1 << SUB_BUCKET_BITS;
const MAX_EXPONENT = 30;
const BUCKETS = LINEAR_BUCKETS + (MAX_EXPONENT - SUB_BUCKET_BITS) * SUB_BUCKETS;
const MAX_VALUE = 2 ** (MAX_EXPONENT + 1) - 1;

export class DelayHistogram {
  private readonly chunks: (Float64Array | undefined)[] = new Array<Float64Array | undefined>(BUCKETS / SUB_BUCKETS).fill(undefined);
  total = 0;

  add(milliseconds: number): void {
    const value = milliseconds >= MAX_VALUE ? MAX_VALUE : milliseconds > 0 ? Math.floor(milliseconds) : 0;
    let bucket: number;
    if (value < LINEAR_BUCKETS) {
      bucket = value;
    } else {
      const exponent = 31 - Math.clz32(value);
      const shift = exponent - SUB_BUCKET_BITS;
      bucket = LINEAR_BUCKETS + (exponent - SUB_BUCKET_BITS - 1) * SUB_BUCKETS + ((value >>> shift) & (SUB_BUCKETS - 1));
    }
    const chunkIndex = bucket >> SUB_BUCKET_BITS;
    let chunk = this.chunks[chunkIndex];
    if (chunk === undefined) chunk = this.chunks[chunkIndex] = new Float64Array(SUB_BUCKETS);
    chunk[bucket & (SUB_BUCKETS - 1)]++;
    this.total++;
  }

  /** The q-quantile (0..1) in milliseconds, the middle of its bucket; 0 when empty. */
  quantile(q: number): number {
    if (this.total === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * this.total));
    let seen = 0;
    for (let chunkIndex = 0; chunkIndex < this.chunks.length; chunkIndex++) {
      const chunk = this.chunks[chunkIndex];
      if (chunk === undefined) continue;
      for (let i = 0; i < SUB_BUCKETS; i++) {
        seen += chunk[i];
        if (seen >= rank) return bucketMiddle(chunkIndex * SUB_BUCKETS + i);
      }
    }
    return bucketMiddle(BUCKETS - 1);
  }
}

function bucketMiddle(bucket: number): number {
  if (bucket < LINEAR_BUCKETS) return bucket + 0.5;
  const offset = bucket - LINEAR_BUCKETS;
  const exponent = SUB_BUCKET_BITS + 1 + Math.floor(offset / SUB_BUCKETS);
  const shift = exponent - SUB_BUCKET_BITS;
  const lower = (SUB_BUCKETS + (offset % SUB_BUCKETS)) * 2 ** shift;
  return lower + 2 ** shift / 2;
}
