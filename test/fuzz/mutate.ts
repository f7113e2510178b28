/**
 * Mutations of runbook text for the fuzzer: byte flips, line deletions and duplications,
 * indentation changes, values swapped for hostile ones, key renames, inserted snippets,
 * truncation and splices of another seed. Deterministic for a given random source.
 */

/** A small seeded generator (xorshift32 with a multiply), so a seed reproduces a case exactly. */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = (seed ^ 0x9e3779b9) >>> 0 || 1;
  }

  /** A 32-bit unsigned integer. */
  next(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return Math.imul(this.state, 0x2c1b3c6d) >>> 0;
  }

  /** An integer in [0, bound). */
  below(bound: number): number {
    return bound <= 1 ? 0 : this.next() % bound;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)];
  }

  chance(numerator: number, denominator: number): boolean {
    return this.below(denominator) < numerator;
  }
}

/** Characters that mean something to YAML, line breaks of every kind, and code units that trip decoders. */
const HOSTILE_CHARS = [
  ':',
  '-',
  '[',
  ']',
  '{',
  '}',
  ',',
  '&',
  '*',
  '!',
  '#',
  '|',
  '>',
  '%',
  '@',
  '`',
  '"',
  "'",
  '?',
  ' ',
  '\t',
  '\n',
  '\r',
  '\r\n',
  '\u0000',
  '\u001b',
  '\u007f',
  '\u0085',
  '\u2028',
  '\uFEFF',
  '\uFFFD',
  '\uD800',
  '\uDC00',
  '😀',
  'é',
  '0',
  '9',
  '.',
  'e',
  'Z',
  'T',
];

/** Values a field may be given that sit on an edge: the type, the range, the calendar, the parser. */
export const HOSTILE_VALUES = [
  '1e309',
  '-1e309',
  '-0',
  '0',
  '-1',
  '1',
  '0.5',
  '1e12',
  '9007199254740993',
  '1e-320',
  '.nan',
  '.inf',
  '-.inf',
  '0x10',
  '0o17',
  '1_000',
  "''",
  '""',
  '~',
  'null',
  '[]',
  '{}',
  '[[[[]]]]',
  '{a: {b: {c: 1}}}',
  'true',
  'no',
  'yes',
  '*nothere',
  '&anchor value',
  '!!binary aGk=',
  '!!str 5',
  '!custom x',
  '|\n  block\n  text',
  '>-\n  folded',
  'PT',
  'P',
  'PT0S',
  '-1h',
  '0s',
  '0m',
  '1ms',
  '150m',
  '99999999999999999999d',
  'PT999999999H',
  '12h',
  '2026-12-05T22:00:00Z',
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '2026-02-30T00:00:00Z',
  '2026-12-05T25:00:00+99:00',
  '2026-12-05',
  '__proto__',
  'constructor',
  'toString',
  'KB924567',
  'KB1',
  'disabled',
  'stopped',
  'running',
  'EXCH01',
  'exch01',
  'NOPE',
  'move-mailboxes',
  'install-hotfix',
  'reboot',
  'wait',
  '"\\0\\x1b\\ud800"',
  '"' + 'x'.repeat(300) + '"',
  '{ count: 1e12, averageSizeMB: 250 }',
  '{ count: 1, averageSizeMB: 1e308 }',
  '[{ alias: a, sizeMB: -1 }]',
  '[MSExchangeIS, MSExchangeIS]',
  '{ service: disabled, gatewayOutThreads: 0 }',
  '{ taskThreads: 0 }',
  '{ taskThreads: 1e9 }',
];

/** Values the schema accepts but that sit at an edge of what the model and simulator must handle, by key. */
const EDGE_VALUES_BY_KEY: Record<string, string[]> = {
  count: ['1', '1000000', '1e12', '16'],
  averageSizeMB: ['0', '0.001', '1e6', '1e15'],
  sizeMB: ['0', '1e9'],
  concurrency: ['1', '16'],
  throughputMBPerMinute: ['0.000001', '1e-9', '1e9'],
  taskThreads: ['0', '1', '100000', '1e9'],
  gatewayOutThreads: ['0', '1', '1000000'],
  localDeliveryPerMinute: ['0', '1e6', '0.0001'],
  owaRequestsPerMinute: ['0', '1e6'],
  deliveryServiceMs: ['0', '1e9', '0.001'],
  owaServiceMs: ['0', '1e9'],
  duration: ['1ms', '0s', '1000d', 'PT0.001S'],
  flushTimeout: ['0s', '1ms', '1000d'],
  sampleInterval: ['1ms', '1000d'],
  owaTimeout: ['0s', '1000d'],
  start: ['1970-01-01T00:00:00Z', '2026-12-05T22:00:00Z', '9999-12-31T23:59:59Z', '0001-01-01T00:00:00Z'],
  seed: ['0', '4294967295', '9007199254740991'],
  maxEvents: ['0', '1', '1000000000000'],
  servicePack: ['0', '3'],
  exchange: ['2000', '2003', '2007', '2010'],
  service: ['running', 'stopped', 'disabled'],
};

const KEYS = [
  'runbook',
  'name',
  'description',
  'servers',
  'steps',
  'simulation',
  'exchange',
  'servicePack',
  'storeVersion',
  'hotfixes',
  'mta',
  'service',
  'gatewayOutThreads',
  'store',
  'taskThreads',
  'load',
  'localDeliveryPerMinute',
  'deliveryServiceMs',
  'owaRequestsPerMinute',
  'owaServiceMs',
  'seed',
  'flushTimeout',
  'serviceTime',
  'sampleInterval',
  'duration',
  'owaTimeout',
  'maxEvents',
  'id',
  'title',
  'notes',
  'action',
  'server',
  'from',
  'to',
  'hotfix',
  'services',
  'mailboxes',
  'count',
  'averageSizeMB',
  'alias',
  'sizeMB',
  'concurrency',
  'throughputMBPerMinute',
  'start',
  '__proto__',
  'constructor',
  'prototype',
  '<<',
  '? x',
  '"quoted key"',
  '',
];

const SNIPPETS = [
  '  - { id: extra, action: wait, duration: 1h }',
  '  - id: extra-move\n    action: move-mailboxes\n    from: EXCH01\n    to: EXCH02\n    mailboxes: ' +
    '{ count: 50, averageSizeMB: 10 }\n    concurrency: 16',
  '  - { id: hf, action: install-hotfix, server: EXCH01, hotfix: KB924567 }',
  '  - { id: rb, action: reboot, server: EXCH01 }',
  '  - { id: mta, action: set-mta, server: EXCH01, service: disabled, gatewayOutThreads: 0 }',
  '# exrunbook-disable-next-line EXR001 EXR003',
  '# exrunbook-disable-next-line',
  '---',
  '...',
  '%YAML 1.2',
  'x: &a [1, 2, 3]',
  'y: [*a, *a, *a, *a]',
  '<<: { __proto__: { polluted: yes } }',
  '__proto__: { polluted: yes }',
  '? complex\n: key',
  '\t- tabbed',
  'simulation: { sampleInterval: 1ms, duration: 1000d }',
  'simulation: { flushTimeout: 0s, owaTimeout: 0s, seed: -0 }',
  'steps: [[',
  '  - { id: half, action: [',
  '  - &anchored { id: again, action: reboot, server: EXCH01 }\n  - *anchored\n  - *anchored',
];

export type MutationName =
  | 'flip'
  | 'delete-line'
  | 'duplicate-line'
  | 'swap-lines'
  | 'indent'
  | 'value'
  | 'key'
  | 'insert'
  | 'truncate'
  | 'splice'
  | 'alias-step'
  | 'half-flow';
export const MUTATIONS: readonly MutationName[] = [
  'flip',
  'delete-line',
  'duplicate-line',
  'swap-lines',
  'indent',
  'value',
  'key',
  'insert',
  'truncate',
  'splice',
  'alias-step',
  'half-flow',
];

/** One mutation of `text`; `other` is another seed for splices. */
export function mutateOnce(text: string, random: SeededRandom, kind: MutationName, other: string): string {
  const lines = text.split('\n');
  const lineIndex = random.below(lines.length);
  switch (kind) {
    case 'flip': {
      if (text.length === 0) return random.pick(HOSTILE_CHARS);
      const at = random.below(text.length);
      const replacement = random.chance(1, 4) ? String.fromCharCode(random.below(0x10000)) : random.pick(HOSTILE_CHARS);
      const removed = random.chance(1, 3) ? 0 : 1 + random.below(3);
      return text.slice(0, at) + replacement + text.slice(at + removed);
    }
    case 'delete-line':
      lines.splice(lineIndex, 1 + (random.chance(1, 4) ? random.below(5) : 0));
      return lines.join('\n');
    case 'duplicate-line': {
      const count = 1 + (random.chance(1, 4) ? random.below(5) : 0);
      lines.splice(lineIndex, 0, ...lines.slice(lineIndex, lineIndex + count));
      return lines.join('\n');
    }
    case 'swap-lines': {
      const other = random.below(lines.length);
      [lines[lineIndex], lines[other]] = [lines[other], lines[lineIndex]];
      return lines.join('\n');
    }
    case 'indent': {
      const line = lines[lineIndex];
      const change = random.pick([-4, -2, -1, 1, 2, 4]);
      if (random.chance(1, 8)) lines[lineIndex] = '\t' + line;
      else if (change < 0) lines[lineIndex] = line.replace(new RegExp(`^ {1,${-change}}`), '');
      else lines[lineIndex] = ' '.repeat(change) + line;
      return lines.join('\n');
    }
    case 'value': {
      const candidates = lines.map((line, index) => ({ line, index })).filter(({ line }) => /:\s*\S/.test(line));
      if (candidates.length === 0) return text;
      const { line, index } = random.pick(candidates);
      const colons = [...line.matchAll(/: /g)].map((match) => match.index ?? 0);
      if (colons.length === 0) return text;
      const colon = random.pick(colons);
      const valueEnd = findValueEnd(line, colon + 2);
      const key = /([A-Za-z]+)$/.exec(line.slice(0, colon))?.[1] ?? '';
      const edge = EDGE_VALUES_BY_KEY[key];
      const value = edge && random.chance(1, 2) ? random.pick(edge) : random.pick(HOSTILE_VALUES);
      lines[index] = line.slice(0, colon + 2) + value + line.slice(valueEnd);
      return lines.join('\n');
    }
    case 'key': {
      const candidates = lines.map((line, index) => ({ line, index })).filter(({ line }) => /^[\s-]*[A-Za-z_]+:/.test(line));
      if (candidates.length === 0) return text;
      const { line, index } = random.pick(candidates);
      lines[index] = line.replace(/^([\s-]*)[A-Za-z_]+:/, (_all, prefix: string) => `${prefix}${random.pick(KEYS)}:`);
      return lines.join('\n');
    }
    case 'insert':
      lines.splice(lineIndex, 0, random.pick(SNIPPETS));
      return lines.join('\n');
    case 'truncate':
      return text.slice(0, random.below(text.length + 1));
    case 'alias-step':
      return aliasStep(lines, random);
    case 'half-flow':
      return halfTypedFlow(lines, lineIndex, random);
    case 'splice': {
      const from = random.below(other.length + 1);
      const to = Math.min(other.length, from + random.below(400));
      const at = random.below(text.length + 1);
      return text.slice(0, at) + other.slice(from, to) + text.slice(at);
    }
  }
}

/**
 * A step item anchored (`- &s1 …`) and listed again one to three times as an alias (`- *s1`): one
 * node, several steps, every finding on the anchor (the duplicate-diagnostic bug of issue 16).
 */
function aliasStep(lines: string[], random: SeededRandom): string {
  const items = lines.map((line, index) => ({ line, index })).filter(({ line }) => /^ {0,4}- (?![&*])\S/.test(line));
  if (items.length === 0) return lines.join('\n');
  const { line, index } = random.pick(items);
  const dash = line.indexOf('- ');
  const anchor = `s${random.below(1000)}`;
  lines[index] = `${line.slice(0, dash)}- &${anchor} ${line.slice(dash + 2)}`;
  const alias = `${' '.repeat(dash)}- *${anchor}`;
  const copies = 1 + random.below(3);
  for (let n = 0; n < copies; n++) lines.splice(index + 1 + random.below(lines.length - index), 0, alias);
  return lines.join('\n');
}

/** What a person has typed so far of a flow collection: `steps: [[`, `{ id: a, action: [`, a value cut after `{`. */
const HALF_FLOWS = [
  '[',
  '[[',
  '[[[',
  '{',
  '{ ',
  '[{',
  '{a: [',
  '[{ id: x, action: ',
  '{ name: A, exchange: [',
  '[ , ',
  '{ : }',
  '[*',
  '{&',
];

function halfTypedFlow(lines: string[], lineIndex: number, random: SeededRandom): string {
  const line = lines[lineIndex] ?? '';
  const colon = line.indexOf(': ');
  const opened = line.search(/[[{]/);
  if (opened >= 0 && random.chance(1, 2)) {
    // Cut inside the flow collection already on the line, as if typing stopped there.
    lines[lineIndex] = line.slice(0, opened + 1 + random.below(line.length - opened));
  } else if (colon >= 0) {
    lines[lineIndex] = line.slice(0, colon + 2) + random.pick(HALF_FLOWS);
  } else {
    lines.splice(lineIndex, 0, `steps: ${random.pick(HALF_FLOWS)}`);
  }
  if (random.chance(1, 3)) lines.length = lineIndex + 1; // nothing typed after it yet
  return lines.join('\n');
}

/** Where a flow or plain value that starts at `start` ends on its line: the next `,`, `}`, `]` or ` #`. */
function findValueEnd(line: string, start: number): number {
  for (let i = start; i < line.length; i++) {
    const c = line[i];
    if (c === ',' || c === '}' || c === ']') return i;
    if (c === '#' && line[i - 1] === ' ') return i - 1;
  }
  return line.length;
}

/**
 * Replaces one to three values with edge values the schema still accepts, so the runbook stays
 * simulatable and the simulator sees extreme but legal input. Unchanged when no key qualifies.
 */
export function mutateEdges(text: string, random: SeededRandom): string {
  const lines = text.split('\n');
  const count = 1 + random.below(3);
  for (let n = 0; n < count; n++) {
    const candidates: { index: number; key: string; valueStart: number }[] = [];
    lines.forEach((line, index) => {
      for (const match of line.matchAll(/([A-Za-z]+): /g)) {
        if (EDGE_VALUES_BY_KEY[match[1]]) candidates.push({ index, key: match[1], valueStart: (match.index ?? 0) + match[0].length });
      }
    });
    if (candidates.length === 0) break;
    const { index, key, valueStart } = random.pick(candidates);
    const line = lines[index];
    lines[index] = line.slice(0, valueStart) + random.pick(EDGE_VALUES_BY_KEY[key]) + line.slice(findValueEnd(line, valueStart));
  }
  return lines.join('\n');
}

/** Mutations that usually keep the YAML well formed, so the later stages (schema, rules, simulator) see most cases. */
const GENTLE: readonly MutationName[] = ['value', 'value', 'value', 'key', 'delete-line', 'insert', 'indent', 'alias-step'];

/** One to four mutations: half the time one gentle one, so most cases get past the YAML parser. */
export function mutate(text: string, random: SeededRandom, other: string): { text: string; applied: MutationName[] } {
  const applied: MutationName[] = [];
  let current = text;
  if (random.chance(1, 2)) {
    const count = 1 + random.below(2);
    for (let i = 0; i < count; i++) {
      const kind = random.pick(GENTLE);
      applied.push(kind);
      current = mutateOnce(current, random, kind, other);
    }
    return { text: current, applied };
  }
  const count = 1 + random.below(4);
  for (let i = 0; i < count; i++) {
    const kind = random.pick(MUTATIONS);
    applied.push(kind);
    current = mutateOnce(current, random, kind, other);
  }
  return { text: current, applied };
}
