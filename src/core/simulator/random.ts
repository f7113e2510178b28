/**
 * The simulator's pseudo-random numbers: sfc32 ("Small Fast Chaotic", 32-bit, by Chris
 * Doty-Humphrey, from the PractRand suite), seeded through splitmix32. Chosen because it
 * needs only 32-bit integer arithmetic, so Node and every browser produce the same stream
 * from the same seed, and it passes PractRand/BigCrush for the lengths a simulation draws.
 *
 * Seeding: the seed's low and high 32 bits are mixed by splitmix32 (golden-ratio increment
 * 0x9e3779b9, multipliers 0x85ebca6b and 0xc2b2ae35) into sfc32's a, b, c; the counter d
 * starts at 1; the first 12 outputs are discarded so nearby seeds diverge at once.
 */
export class Sfc32 {
  /** a, b, c, d in an Int32Array: plain fields would box every write outside the small-integer range. */
  private readonly state = new Int32Array(4);

  constructor(seed: number) {
    const safe = Number.isFinite(seed) ? Math.trunc(seed) : 0;
    let mix = (safe >>> 0) ^ Math.imul(Math.floor(safe / 4294967296) | 0, 0x27d4eb2d);
    const next = (): number => {
      mix = (mix + 0x9e3779b9) | 0;
      let z = mix;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) | 0;
    };
    this.state[0] = next();
    this.state[1] = next();
    this.state[2] = next();
    this.state[3] = 1;
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** An integer in [0, 2^32). */
  nextUint32(): number {
    const state = this.state;
    const a = state[0];
    const b = state[1];
    const c = state[2];
    const d = state[3];
    const t = (((a + b) | 0) + d) | 0;
    state[3] = d + 1;
    state[0] = b ^ (b >>> 9);
    state[1] = c + (c << 3);
    state[2] = ((c << 21) | (c >>> 11)) + t;
    return t >>> 0;
  }

  /** A number in (0, 1]: never 0, so -log(u) is always finite. */
  nextOpenClosed(): number {
    return (this.nextUint32() + 1) / 4294967296;
  }
}

/**
 * Exponential variates (mean 1) by the ziggurat method of Marsaglia and Tsang ("The Ziggurat
 * Method for Generating Random Variables", J. Stat. Software 5(8), 2000), 256 layers: about 99 %
 * of draws cost one 32-bit integer, a compare and a multiply; the rest fall back to the exact
 * density test. The tables are built here from the paper's two constants, not copied.
 */
const ZIGGURAT_R = 7.697117470131487;
const ZIGGURAT_AREA = 3.949659822581572e-3;
const TWO_TO_32 = 4294967296;
const zigguratK = new Float64Array(256);
const zigguratW = new Float64Array(256);
const zigguratF = new Float64Array(256);
(() => {
  let d = ZIGGURAT_R;
  let t = d;
  const q = ZIGGURAT_AREA / Math.exp(-d);
  zigguratK[0] = (d / q) * TWO_TO_32;
  zigguratK[1] = 0;
  zigguratW[0] = q / TWO_TO_32;
  zigguratW[255] = d / TWO_TO_32;
  zigguratF[0] = 1;
  zigguratF[255] = Math.exp(-d);
  for (let i = 254; i >= 1; i--) {
    d = -Math.log(ZIGGURAT_AREA / d + Math.exp(-d));
    zigguratK[i + 1] = (d / t) * TWO_TO_32;
    t = d;
    zigguratF[i] = Math.exp(-d);
    zigguratW[i] = d / TWO_TO_32;
  }
})();

/** Fills `target` with exponential variates of mean 1 drawn from `rng`. */
export function fillExponentials(rng: Sfc32, target: Float64Array): void {
  for (let i = 0; i < target.length; i++) {
    const bits = rng.nextUint32();
    const layer = bits & 255;
    target[i] = bits < zigguratK[layer] ? bits * zigguratW[layer] : exponentialTail(rng, bits, layer);
  }
}

function exponentialTail(rng: Sfc32, bits: number, layer: number): number {
  for (;;) {
    if (layer === 0) return ZIGGURAT_R - Math.log(rng.nextOpenClosed());
    const x = bits * zigguratW[layer];
    const u = rng.nextUint32() / TWO_TO_32;
    if (zigguratF[layer] + u * (zigguratF[layer - 1] - zigguratF[layer]) < Math.exp(-x)) return x;
    bits = rng.nextUint32();
    layer = bits & 255;
    if (bits < zigguratK[layer]) return bits * zigguratW[layer];
  }
}
