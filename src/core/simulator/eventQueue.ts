/**
 * The pending-event set: a binary min-heap kept in typed arrays, so scheduling an event
 * allocates nothing. Events are ordered by time, then by the order they were scheduled (a
 * sequence number), which makes ties deterministic and first-come-first-served.
 *
 * An event is a time, an integer code (what happens, packed by the engine) and two numbers of
 * payload. The heap itself holds only each event's time and its slot; the code, payload and
 * sequence number live in slot-indexed arrays, so a sift moves two numbers per level.
 * The engine reads the top event in place and then either replaces it with a follow-up (one
 * sift-down instead of a pop and a push) or removes it: settleTop.
 */
export class EventQueue {
  size = 0;
  private nextSequence = 0;
  private freeCount = 0;
  /** Heap order: the time of each entry and the slot holding the rest of it. */
  time: Float64Array;
  slot: Int32Array;
  /** Slot order. */
  sequence: Float64Array;
  code: Int32Array;
  aux: Float64Array;
  aux2: Float64Array;
  private freeSlots: Int32Array;

  /**
   * `maxCapacity` bounds the pending events (their memory, 44 bytes each); past it `overflow` gives
   * the error to throw.
   */
  constructor(
    capacity = 256,
    private readonly maxCapacity = Infinity,
    private readonly overflow: () => Error = () => new RangeError('too many pending events'),
  ) {
    this.time = new Float64Array(capacity);
    this.slot = new Int32Array(capacity);
    this.sequence = new Float64Array(capacity);
    this.code = new Int32Array(capacity);
    this.aux = new Float64Array(capacity);
    this.aux2 = new Float64Array(capacity);
    this.freeSlots = new Int32Array(capacity);
    for (let i = 0; i < capacity; i++) this.freeSlots[this.freeCount++] = capacity - 1 - i;
  }

  push(time: number, code: number, aux: number, aux2: number): void {
    if (this.size === this.time.length) this.grow();
    const slot = this.freeSlots[--this.freeCount];
    const sequence = this.nextSequence++;
    this.sequence[slot] = sequence;
    this.code[slot] = code;
    this.aux[slot] = aux;
    this.aux2[slot] = aux2;
    const times = this.time;
    const slots = this.slot;
    let hole = this.size++;
    while (hole > 0) {
      const parent = (hole - 1) >> 1;
      const parentTime = times[parent];
      if (parentTime < time || (parentTime === time && this.sequence[slots[parent]] < sequence)) break;
      times[hole] = parentTime;
      slots[hole] = slots[parent];
      hole = parent;
    }
    times[hole] = time;
    slots[hole] = slot;
  }

  /**
   * Done with the top event: with `keep`, it becomes a new event (a fresh sequence number) at
   * `time`; otherwise it is removed. One method for both so the engine has one call site.
   */
  settleTop(keep: boolean, time: number, code: number, aux: number, aux2: number): void {
    let slot = this.slot[0];
    if (keep) {
      this.sequence[slot] = this.nextSequence++;
      this.code[slot] = code;
      this.aux[slot] = aux;
      this.aux2[slot] = aux2;
    } else {
      this.freeSlots[this.freeCount++] = slot;
      const last = --this.size;
      if (last === 0) return;
      time = this.time[last];
      slot = this.slot[last];
    }
    this.siftDown(time, slot);
  }

  private siftDown(time: number, slot: number): void {
    const times = this.time;
    const slots = this.slot;
    const sequences = this.sequence;
    const size = this.size;
    const half = size >> 1;
    let hole = 0;
    while (hole < half) {
      let child = 2 * hole + 1;
      let childTime = times[child];
      const right = child + 1;
      if (right < size) {
        const rightTime = times[right];
        if (rightTime < childTime || (rightTime === childTime && sequences[slots[right]] < sequences[slots[child]])) {
          child = right;
          childTime = rightTime;
        }
      }
      if (time < childTime || (time === childTime && sequences[slot] < sequences[slots[child]])) break;
      times[hole] = childTime;
      slots[hole] = slots[child];
      hole = child;
    }
    times[hole] = time;
    slots[hole] = slot;
  }

  /**
   * Restores the heap order after the caller changed times in place (`time[i]` of heap entry i):
   * a fast-forward moves the background events and leaves the steps where they are. O(size).
   */
  reorder(): void {
    const times = this.time;
    const slots = this.slot;
    const sequences = this.sequence;
    const size = this.size;
    const before = (a: number, b: number) => times[a] < times[b] || (times[a] === times[b] && sequences[slots[a]] < sequences[slots[b]]);
    for (let start = (size >> 1) - 1; start >= 0; start--) {
      let hole = start;
      for (;;) {
        const left = 2 * hole + 1;
        if (left >= size) break;
        const child = left + 1 < size && before(left + 1, left) ? left + 1 : left;
        if (!before(child, hole)) break;
        const time = times[hole];
        const slot = slots[hole];
        times[hole] = times[child];
        slots[hole] = slots[child];
        times[child] = time;
        slots[child] = slot;
        hole = child;
      }
    }
  }

  private grow(): void {
    const old = this.time.length;
    const capacity = old * 2;
    if (capacity > this.maxCapacity) throw this.overflow();
    const grownFloat = (array: Float64Array): Float64Array => {
      const next = new Float64Array(capacity);
      next.set(array);
      return next;
    };
    const grownInt = (array: Int32Array): Int32Array => {
      const next = new Int32Array(capacity);
      next.set(array);
      return next;
    };
    this.time = grownFloat(this.time);
    this.slot = grownInt(this.slot);
    this.sequence = grownFloat(this.sequence);
    this.code = grownInt(this.code);
    this.aux = grownFloat(this.aux);
    this.aux2 = grownFloat(this.aux2);
    this.freeSlots = grownInt(this.freeSlots);
    for (let slot = capacity - 1; slot >= old; slot--) this.freeSlots[this.freeCount++] = slot;
  }
}

/** Shared by every ring until its first push: a run keeps four rings per server, and most stay empty. */
const NO_BUFFER = new Float64Array(0);
const FIRST_CAPACITY = 8;

/** A FIFO of numbers (arrival times) in a growable ring buffer (a power of two long); push at either end. */
export class NumberRing {
  private buffer = NO_BUFFER;
  private head = 0;
  length = 0;

  push(value: number): void {
    if (this.length === this.buffer.length) this.grow();
    this.buffer[(this.head + this.length) & (this.buffer.length - 1)] = value;
    this.length++;
  }

  unshift(value: number): void {
    if (this.length === this.buffer.length) this.grow();
    this.head = (this.head - 1) & (this.buffer.length - 1);
    this.buffer[this.head] = value;
    this.length++;
  }

  /** The i-th oldest value (0 = the oldest). */
  at(index: number): number {
    return this.buffer[(this.head + index) & (this.buffer.length - 1)];
  }

  /** The oldest value; only when length > 0. */
  peek(): number {
    return this.buffer[this.head];
  }

  shift(): number {
    const value = this.buffer[this.head];
    this.head = (this.head + 1) & (this.buffer.length - 1);
    this.length--;
    return value;
  }

  /** Adds `delta` to every value (a fast-forward moves waiting work's arrival times with the clock). */
  addToAll(delta: number): void {
    for (let i = 0; i < this.length; i++) this.buffer[(this.head + i) & (this.buffer.length - 1)] += delta;
  }

  private grow(): void {
    const next = new Float64Array(Math.max(FIRST_CAPACITY, this.buffer.length * 2));
    for (let i = 0; i < this.length; i++) next[i] = this.buffer[(this.head + i) & (this.buffer.length - 1)];
    this.buffer = next;
    this.head = 0;
  }
}
