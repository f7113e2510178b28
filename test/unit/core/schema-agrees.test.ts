/**
 * The published schema says what the tool enforces, where JSON Schema can (issue 16): durations
 * and dates by pattern. A user of Red Hat's YAML extension (yaml-language-server, validating with
 * schemas/runbook.schema.json) must not see a clean file that `exrunbook lint` rejects for these.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import schema from '../../../schemas/runbook.schema.json';
import { parseDateTime, parseDurationMinutes } from '../../../src/core/format/duration';
import { LanguageServerValidator } from '../../../bench/languageServer';
import { codes, lint, repoRoot, yaml } from '../../support';

interface SchemaNode {
  pattern?: string;
  not?: { pattern?: string };
  properties?: Record<string, SchemaNode>;
}

/** Every property schema in the published schema, by property name. */
function propertiesNamed(name: string): SchemaNode[] {
  const found: SchemaNode[] = [];
  const visit = (node: unknown) => {
    if (node === null || typeof node !== 'object') return;
    const properties = (node as SchemaNode).properties;
    if (properties && Object.hasOwn(properties, name)) found.push(properties[name]);
    for (const child of Object.values(node)) visit(child);
  };
  visit(schema);
  return found;
}

/** The one pattern all fields of these names share (the test fails if two copies drift apart). */
function sharedPattern(...names: string[]): RegExp {
  const patterns = new Set(names.flatMap((name) => propertiesNamed(name).map((node) => node.pattern)));
  assert.equal(patterns.size, 1, `one pattern for ${names.join(', ')}: ${[...patterns].join(' | ')}`);
  // yaml-language-server compiles patterns with the `u` flag; so do we.
  return new RegExp([...patterns][0]!, 'u');
}

const durationPattern = sharedPattern('duration', 'flushTimeout', 'sampleInterval', 'owaTimeout');
const dateTimePattern = sharedPattern('start');

const number = fc.oneof(
  fc.constantFrom('0', '1', '00', '1.5', '0.0', '10', '2.', '.5', '29', '30', '31', '60'),
  fc.nat(100000).map(String),
);
const durationText = fc.oneof(
  fc.tuple(number, fc.constantFrom('ms', 's', 'm', 'h', 'd', 'w', 'M', '')).map(([n, unit]) => n + unit),
  fc
    .tuple(
      fc.constantFrom('P', 'p', ''),
      fc.array(fc.tuple(number, fc.constantFrom('W', 'D', 'H', 'M', 'S')), { maxLength: 3 }),
      fc.constantFrom('', 'T', 'T '),
      fc.array(fc.tuple(number, fc.constantFrom('H', 'M', 'S', 'D')), { maxLength: 3 }),
    )
    .map(([p, dateParts, t, timeParts]) => p + dateParts.map(([n, u]) => n + u).join('') + t + timeParts.map(([n, u]) => n + u).join('')),
);

const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));
const dateTimeText = fc
  .tuple(
    fc.oneof(
      fc.constantFrom('0000', '1900', '2000', '2024', '2026', '2100', '2400', '9999'),
      fc.integer({ min: 0, max: 9999 }).map((y) => String(y).padStart(4, '0')),
    ),
    two(13),
    two(32),
    fc.constantFrom('T', 't', ' ', '_'),
    two(25),
    two(61),
    fc.constantFrom('', ':00', ':59', ':60', ':30.5', ':07.123456'),
    fc.constantFrom('Z', 'z', '', '+01:00', '-0530', '+24:00', '+23:59', '-00:60', '+1:00'),
  )
  .map(
    ([year, month, day, separator, hour, minute, seconds, zone]) => `${year}-${month}-${day}${separator}${hour}:${minute}${seconds}${zone}`,
  );

describe('the published schema agrees with the tool', () => {
  it('duration pattern: accepts exactly what the parser reads (never `P`, `PT`, `P1DT`, `P1D1W`)', () => {
    for (const text of ['P', 'PT', 'P1DT', 'P1D1W', 'PT1H1H', 'P1W1W', '1.h', 'PT.5S'])
      assert.equal(durationPattern.test(text), false, text);
    for (const text of ['PT2H30M', 'P1W', 'P1W2DT3H4M5.5S', 'P0D', 'PT0S', '150m', '1.5d', '90s', '250ms'])
      assert.ok(durationPattern.test(text), text);
    fc.assert(
      fc.property(durationText, (text) => durationPattern.test(text) === (parseDurationMinutes(text) !== undefined)),
      { numRuns: 20_000, seed: 16 },
    );
  });

  it('sampleInterval: a zero interval fails the schema as it fails the tool', () => {
    const [sampleInterval] = propertiesNamed('sampleInterval');
    const notZero = new RegExp(sampleInterval.not!.pattern!, 'u');
    fc.assert(
      fc.property(durationText, (text) => {
        const minutes = parseDurationMinutes(text);
        if (minutes === undefined) return true;
        return !notZero.test(text) === minutes > 0;
      }),
      { numRuns: 20_000, seed: 17 },
    );
  });

  it('date-time pattern: months, days (30 February, 29 February outside leap years), hours, minutes, seconds and zones', () => {
    for (const text of [
      '2026-02-30T10:00:00Z',
      '2026-02-29T10:00Z',
      '1900-02-29T00:00Z',
      '2026-04-31T00:00Z',
      '2026-13-01T00:00Z',
      '2026-12-05T24:00Z',
      '2026-12-05T23:60Z',
      '2026-12-05T23:59:60Z',
      '2026-12-05T22:00+24:00',
      '2026-00-10T00:00Z',
    ])
      assert.equal(dateTimePattern.test(text), false, text);
    for (const text of ['2024-02-29T00:00Z', '2000-02-29T00:00Z', '2026-12-05T22:00:00Z', '2026-12-05 22:00+0100', '0000-02-29T00:00Z'])
      assert.ok(dateTimePattern.test(text), text);
    fc.assert(
      fc.property(dateTimeText, (text) => dateTimePattern.test(text) === (parseDateTime(text) !== undefined)),
      { numRuns: 20_000, seed: 18 },
    );
  });

  it('when the schema and the tool both refuse a start, the message fits the value', () => {
    const head = ['runbook: 1', 'name: t', 'servers: [{ name: A, exchange: 2003 }]', 'steps:'];
    const messageFor = (start: string) => {
      const { diagnostics } = lint(yaml(...head, `  - { id: w, action: wait, duration: 1h, start: "${start}" }`));
      assert.equal(diagnostics.length, 1, start);
      return diagnostics[0].message;
    };
    assert.match(messageFor('2026-02-30T10:00:00Z'), /is not a real date and time/);
    assert.match(messageFor('2026-12-05T24:00Z'), /is not a real date and time/);
    assert.match(messageFor('2026-12-05'), /must be an ISO 8601 date-time with a zone/);
    assert.match(messageFor('next Friday'), /must be an ISO 8601 date-time with a zone/);
  });

  describe('what yaml-language-server (Red Hat YAML) reports with the schema', function () {
    this.timeout(60_000);
    const head = ['runbook: 1', 'name: t', 'servers:', '  - { name: EXCH01, exchange: 2003 }'];
    const cases: [string, string][] = [
      ['a duration `P`', yaml(...head, 'steps:', '  - { id: w, action: wait, duration: P }')],
      ['a duration `PT`', yaml(...head, 'steps:', '  - { id: w, action: wait, duration: PT }')],
      ['a flush timeout `P1DT`', yaml(...head, 'simulation: { flushTimeout: P1DT }', 'steps: []')],
      ['30 February', yaml(...head, 'steps:', '  - { id: w, action: wait, duration: 1h, start: "2026-02-30T10:00:00Z" }')],
      ['hour 24', yaml(...head, 'steps:', '  - { id: w, action: wait, duration: 1h, start: "2026-12-05T24:00:00Z" }')],
      ['a zero sample interval', yaml(...head, 'simulation: { sampleInterval: 0s }', 'steps: []')],
      ['a zero ISO sample interval', yaml(...head, 'simulation: { sampleInterval: PT0.0S }', 'steps: []')],
    ];
    let server: LanguageServerValidator;
    before(() => {
      server = new LanguageServerValidator(repoRoot);
    });

    it('a valid runbook is clean for both', async () => {
      const text = yaml(
        ...head,
        'simulation: { sampleInterval: 30s }',
        'steps:',
        '  - { id: w, action: wait, duration: PT1H, start: "2024-02-29T23:59:59+05:30" }',
      );
      assert.deepEqual(codes(lint(text).diagnostics), []);
      assert.equal(await server.validate(text), 0);
    });

    for (const [name, text] of cases) {
      it(`${name}: EXR100 from exrunbook, and a problem from yaml-language-server`, async () => {
        assert.deepEqual(codes(lint(text).diagnostics), ['EXR100']);
        assert.ok((await server.validate(text)) >= 1, 'yaml-language-server sees a problem too');
      });
    }
  });
});
