import { isMap, isPair, isScalar, isSeq } from 'yaml';
import type { Node, YAMLMap } from 'yaml';
import type { Finding, Span } from '../diagnostics';
import { looksLikeDateTime, parseDateTime, parseDurationMinutes } from './duration';
import { closestMatches } from './words';
import { validate as validateRunbook } from './generated/runbookValidator';
import { nodeSpan, resolveNode, type ParsedDocument } from './parse';

/** The subset of an Ajv error (compiled with `verbose`) the translator reads. */
export interface SchemaError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  parentSchema?: Record<string, unknown>;
  data?: unknown;
}

/** A pattern failure of a server name says what a name may hold; whether it is declared is EXR010's business. */
const NETBIOS_NAME_TEXT = 'a NetBIOS computer name: 1–15 of A–Z, a–z, 0–9 and -';
const SERVER_NAME_FIELDS = new Set(['name', 'server', 'from', 'to']);

/** What a malformed value should look like, in words, by field name (pattern and shape errors). */
const EXPECTED_TEXT: Record<string, string> = {
  id: 'a step id: lower-case letters, digits and hyphens, starting with a letter or digit (e.g. `wave-1`)',
  name: NETBIOS_NAME_TEXT,
  server: NETBIOS_NAME_TEXT,
  from: NETBIOS_NAME_TEXT,
  to: NETBIOS_NAME_TEXT,
  hotfix: 'a Knowledge Base id such as KB924567',
  hotfixes: 'a Knowledge Base id such as KB924567',
  storeVersion: 'a store.exe file version: four dotted numbers such as 6.5.7638.1',
  start: 'an ISO 8601 date-time with a zone, such as 2026-12-05T22:00:00Z',
  duration: 'a duration such as 90s, 150m, 2h, 1d or PT2H30M',
  flushTimeout: 'a duration such as 90s, 150m, 2h, 1d or PT2H30M',
  sampleInterval: 'a duration such as 90s, 150m, 2h, 1d or PT2H30M',
  owaTimeout: 'a duration such as 90s, 150m, 2h, 1d or PT2H30M',
  mailboxes: 'either `{ count, averageSizeMB }` or a list of `{ alias, sizeMB }`',
  services: 'a list of service names, e.g. [MSExchangeIS, MSSEARCH]',
};

const DURATION_FIELDS = new Set(['duration', 'flushTimeout', 'sampleInterval', 'owaTimeout']);
const RANGE_KEYWORDS = new Set(['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum']);

/**
 * Validates the document's data against schemas/runbook.schema.json (compiled ahead of time) and
 * turns Ajv's errors into one plain-words finding per real problem, on the exact node.
 */
export function checkSchema(doc: ParsedDocument, data: unknown): Finding[] {
  const valid = validateRunbook(data) as boolean;
  const errors = valid ? [] : (((validateRunbook as unknown as { errors?: SchemaError[] }).errors ?? []) as SchemaError[]);
  return schemaFindings(doc, data, errors);
}

/** Plain-words findings for a validator's errors plus the value checks (the incremental analyzer passes one step's errors). */
export function schemaFindings(doc: ParsedDocument, data: unknown, errors: SchemaError[]): Finding[] {
  // The value checks say more than a pattern can ("not a real date" beats "must look like 2026-12-05T22:00:00Z"):
  // on a node both report, the value check's finding is the one kept.
  const valueFindings = checkValues(doc, data);
  const specific = new Set(valueFindings.map((finding) => `${finding.span.start}:${finding.span.end}`));
  const findings = translate(doc, data, errors).filter((finding) => !specific.has(`${finding.span.start}:${finding.span.end}`));
  // A loop, not push(...spread): a runbook can have 100,000+ bad values, more than a call's arguments.
  for (const finding of valueFindings) findings.push(finding);
  return findings;
}

function translate(doc: ParsedDocument, data: unknown, errors: SchemaError[]): Finding[] {
  const relevant = errors.filter((error) => error.keyword !== 'if');
  // A wrong type makes every other complaint about the same value noise.
  const typeErrorPaths = new Set(relevant.filter((error) => error.keyword === 'type').map((error) => error.instancePath));
  const seen = new Set<string>();
  const findings: Finding[] = [];
  for (const error of relevant) {
    if (error.keyword !== 'type' && typeErrorPaths.has(error.instancePath)) continue;
    // NaN fails `minimum` and `maximum` at once: one finding per value for its range.
    const keyword = RANGE_KEYWORDS.has(error.keyword) ? 'range' : error.keyword;
    const key = `${error.instancePath}|${keyword}|${String(error.params.missingProperty ?? error.params.additionalProperty ?? '')}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const finding = translateOne(doc, data, error);
    if (finding) findings.push(finding);
  }
  return findings;
}

function translateOne(doc: ParsedDocument, data: unknown, error: SchemaError): Finding | undefined {
  const segments = pathSegments(error.instancePath);
  const where = describeLocation(data, segments);
  const label = fieldLabel(segments);
  const schema = error.parentSchema ?? {};
  // The runbook's own `name` is free text; `name` elsewhere is a server's NetBIOS name.
  const field = segments.length === 1 && segments[0] === 'name' ? 'runbookName' : fieldName(segments);
  const valueSpan = spanAtPath(doc, segments) ?? { start: 0, end: 0 };
  const finding = (span: Span, message: string): Finding => ({ code: 'EXR100', span, message });
  if (error.keyword === 'type' && segments.length === 0 && (error.data === null || error.data === undefined)) {
    return finding(valueSpan, 'The file is empty: a runbook needs `runbook: 1`, a `name`, its `servers` and its `steps`.');
  }
  switch (error.keyword) {
    case 'required': {
      const missing = String(error.params.missingProperty);
      const span = firstLineOfNode(doc, segments) ?? valueSpan;
      return finding(span, `${capitalize(where)} is missing \`${missing}\`${missingHint(missing)}.`);
    }
    case 'additionalProperties': {
      const unknown = String(error.params.additionalProperty);
      const allowed = Object.keys((schema.properties as Record<string, unknown>) ?? {});
      const span = keySpanAtPath(doc, segments, unknown) ?? valueSpan;
      const action = actionOf(data, segments);
      const last = segments[segments.length - 1];
      const what = action
        ? `a \`${action}\` step`
        : segments[0] === 'servers' && segments.length === 2
          ? 'a server'
          : segments.length > 1 && !/^[0-9]+$/.test(last)
            ? `\`${last}\``
            : where;
      const takes = `takes ${allowed.map((name) => `\`${name}\``).join(', ')}.`;
      // A typo of a field this mapping takes and does not have yet: name it (and the quick fix renames the key).
      const present = new Set(Object.keys(asRecord(valueAt(data, segments)) ?? {}));
      const [suggestion, ...ties] = closestMatches(
        unknown,
        allowed.filter((name) => !present.has(name)),
        (name) => name.toLowerCase(),
      );
      if (suggestion !== undefined && ties.length === 0) {
        return {
          ...finding(span, `Unknown field \`${unknown}\` in ${where}: did you mean \`${suggestion}\`? ${capitalize(what)} ${takes}`),
          data: { suggestedField: suggestion },
        };
      }
      return finding(span, `Unknown field \`${unknown}\` in ${where}: ${what} ${takes}`);
    }
    case 'type':
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return finding(
        valueSpan,
        `${label} must be ${expectation(schema, field, error.data)}, not ${show(error.data)}${whereSuffix(where, segments)}.`,
      );
    case 'enum':
      return finding(
        valueSpan,
        `${label} must be one of ${(schema.enum as unknown[]).join(', ')}, not ${show(error.data)}${whereSuffix(where, segments)}.`,
      );
    case 'const':
      if (field === 'runbook') return finding(valueSpan, `\`runbook\` must be 1 (the only format version), not ${show(error.data)}.`);
      return finding(valueSpan, `${label} must be ${String(schema.const)}, not ${show(error.data)}.`);
    case 'pattern':
      return finding(
        valueSpan,
        `${label} must be ${EXPECTED_TEXT[field] ?? `text matching ${String(error.params.pattern)}`}, not ` +
          `${show(error.data)}${whereSuffix(where, segments)}${SERVER_NAME_FIELDS.has(field) ? foreignCharacter(error.data) : ''}.`,
      );
    case 'minLength':
    case 'maxLength': {
      const limit = error.params.limit;
      const bound = error.keyword === 'minLength' ? `at least ${limit}` : `at most ${limit}`;
      const extra = field === 'name' || field === 'server' || field === 'from' || field === 'to' ? ' (a NetBIOS computer name)' : '';
      return finding(
        valueSpan,
        `${label} must be ${bound} characters long${extra}, not ${show(error.data)}${whereSuffix(where, segments)}.`,
      );
    }
    case 'minItems':
      return finding(
        valueSpan,
        field === 'servers'
          ? '`servers` must list at least one server.'
          : `${label} must have at least ${String(error.params.limit)} item(s)${whereSuffix(where, segments)}.`,
      );
    case 'maxItems':
      return finding(valueSpan, `${label} has more than ${String(error.params.limit)} items${whereSuffix(where, segments)}.`);
    case 'not':
      // The schema's only `not`: a sample interval with no non-zero digit is zero.
      if (DURATION_FIELDS.has(field)) return finding(valueSpan, `${label} must be longer than zero, not ${show(error.data)}.`);
      return finding(valueSpan, `${label} is not valid here${whereSuffix(where, segments)}.`);
    default:
      return finding(valueSpan, `${label} is not valid here${whereSuffix(where, segments)}.`);
  }
}

/** Values the schema lets through but that cannot mean anything: 31 February, `P`, a zero sample interval. */
function checkValues(doc: ParsedDocument, data: unknown): Finding[] {
  const findings: Finding[] = [];
  const root = asRecord(data);
  if (!root) return findings;
  const checkDuration = (segments: string[], value: unknown, mustBePositive: boolean) => {
    if (typeof value !== 'string') return;
    const minutes = parseDurationMinutes(value);
    const span = spanAtPath(doc, segments);
    if (!span) return;
    const label = fieldLabel(segments);
    if (minutes === undefined) {
      if (/^P/.test(value))
        findings.push({ code: 'EXR100', span, message: `${label} must be ${EXPECTED_TEXT.duration}, not \`${clip(value)}\`.` });
    } else if (mustBePositive && minutes <= 0) {
      findings.push({ code: 'EXR100', span, message: `${label} must be longer than zero, not \`${clip(value)}\`.` });
    }
  };
  const simulation = asRecord(root.simulation);
  if (simulation) {
    for (const key of DURATION_FIELDS) if (key in simulation) checkDuration(['simulation', key], simulation[key], key === 'sampleInterval');
  }
  if (Array.isArray(root.steps)) {
    root.steps.forEach((step, index) => {
      const record = asRecord(step);
      if (!record) return;
      // Only a value written as a date-time can be "not a real date"; anything else gets the schema's "must be …".
      if (typeof record.start === 'string' && looksLikeDateTime(record.start) && parseDateTime(record.start) === undefined) {
        const span = spanAtPath(doc, ['steps', String(index), 'start']);
        if (span)
          findings.push({
            code: 'EXR100',
            span,
            message:
              `\`start\` is not a real date and time: ${show(record.start)} (check the ` +
              `month, day, hour and ` +
              `zone)${whereSuffix(describeLocation(data, ['steps', String(index)]), ['steps', String(index), 'start'])}.`,
          });
      }
      if ('duration' in record) checkDuration(['steps', String(index), 'duration'], record.duration, false);
    });
  }
  return findings;
}

/** "; `ı` (U+0131) is not one of them": the first character a NetBIOS name cannot hold, named exactly. */
function foreignCharacter(value: unknown): string {
  if (typeof value !== 'string') return '';
  const character = [...value].find((c) => !/^[A-Za-z0-9-]$/.test(c));
  if (character === undefined) return '';
  const codePoint = `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  const shown = /^[\p{L}\p{N}\p{P}\p{S}]$/u.test(character) ? `\`${character}\` (${codePoint})` : codePoint;
  return `; ${shown} is not one of them`;
}

function missingHint(field: string): string {
  const hints: Record<string, string> = {
    runbook: ' (the format version: `runbook: 1`)',
    from: ' (the source server)',
    to: ' (the target server)',
    mailboxes: ' (`{ count, averageSizeMB }` or a list of `{ alias, sizeMB }`)',
    concurrency: ' (mailboxes moved at once, 1–16)',
    exchange: ' (2000, 2003, 2007 or 2010)',
    steps: ' (the list of steps)',
    servers: ' (the list of servers)',
  };
  return hints[field] ?? '';
}

function expectation(schema: Record<string, unknown>, field: string, data: unknown): string {
  if (EXPECTED_TEXT[field] && (field === 'mailboxes' || field === 'services' || DURATION_FIELDS.has(field) || field === 'start'))
    return EXPECTED_TEXT[field];
  const type = schema.type;
  const min = schema.minimum as number | undefined;
  const max = schema.maximum as number | undefined;
  const exclusiveMin = schema.exclusiveMinimum as number | undefined;
  if (type === 'integer' || type === 'number') {
    // "a number" reads best; "whole" only when the value given was a fraction.
    const noun =
      type === 'integer' && typeof data === 'number' && Number.isFinite(data) && !Number.isInteger(data) ? 'a whole number' : 'a number';
    if (Array.isArray(schema.enum)) return `one of ${schema.enum.join(', ')}`;
    if (min !== undefined && max !== undefined) return `${noun} from ${min} to ${max}`;
    if (exclusiveMin !== undefined) return `${noun} greater than ${exclusiveMin}`;
    if (min !== undefined) return `${noun} of at least ${min}`;
    return noun;
  }
  if (type === 'string') return EXPECTED_TEXT[field] ?? 'text';
  if (type === 'array') return EXPECTED_TEXT[field] ?? 'a list';
  if (type === 'object') return 'a mapping of `key: value` lines';
  return `of type ${String(type)}`;
}

function pathSegments(instancePath: string): string[] {
  if (!instancePath) return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function fieldName(segments: string[]): string {
  for (let i = segments.length - 1; i >= 0; i--) if (!/^[0-9]+$/.test(segments[i])) return segments[i];
  return '';
}

function fieldLabel(segments: string[]): string {
  if (segments.length === 0) return 'The runbook';
  const last = segments[segments.length - 1];
  if (/^[0-9]+$/.test(last)) {
    const parent = segments[segments.length - 2] ?? '';
    return `Entry ${Number(last) + 1} of \`${parent}\``;
  }
  return `\`${last}\``;
}

/** "step `wave1`", "server `EXCH01`", "`simulation`", "the runbook". */
function describeLocation(data: unknown, segments: string[]): string {
  let description = 'the runbook';
  let current: unknown = data;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    const parent = segments[i - 1];
    current = Array.isArray(current) ? current[Number(segment)] : asRecord(current)?.[segment];
    if (/^[0-9]+$/.test(segment) && (parent === 'steps' || parent === 'servers')) {
      const record = asRecord(current);
      const handle = parent === 'steps' ? record?.id : record?.name;
      const noun = parent === 'steps' ? 'step' : 'server';
      description = typeof handle === 'string' && handle.length > 0 ? `${noun} \`${clip(handle)}\`` : `${noun} ${Number(segment) + 1}`;
    } else if (
      !/^[0-9]+$/.test(segment) &&
      i < segments.length - 1 &&
      (segment === 'simulation' || segment === 'mta' || segment === 'store' || segment === 'load' || segment === 'mailboxes')
    ) {
      description = `\`${segment}\` of ${description}`;
    } else if (segment === 'simulation' && i === segments.length - 1) {
      description = '`simulation`';
    }
  }
  return description;
}

function whereSuffix(where: string, segments: string[]): string {
  return where === 'the runbook' || segments.length <= 1 ? '' : ` (in ${where})`;
}

/** The data at a path of keys and indexes. */
function valueAt(data: unknown, segments: string[]): unknown {
  let current = data;
  for (const segment of segments) current = Array.isArray(current) ? current[Number(segment)] : asRecord(current)?.[segment];
  return current;
}

function actionOf(data: unknown, segments: string[]): string | undefined {
  if (segments.length !== 2 || segments[0] !== 'steps') return undefined;
  const step = Array.isArray(asRecord(data)?.steps) ? (asRecord(data)!.steps as unknown[])[Number(segments[1])] : undefined;
  const action = asRecord(step)?.action;
  return typeof action === 'string' ? action : undefined;
}

function nodeAtPath(doc: ParsedDocument, segments: string[]): { node: unknown; keySpan?: Span } | undefined {
  let node: unknown = doc.contents;
  let keySpan: Span | undefined;
  for (const segment of segments) {
    node = resolveNode(doc, node);
    if (isMap(node)) {
      const pair = (node as YAMLMap).items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === segment);
      if (!pair) return undefined;
      keySpan = nodeSpan(pair.key as Node);
      node = pair.value;
    } else if (isSeq(node)) {
      node = node.items[Number(segment)];
      keySpan = undefined;
    } else {
      return undefined;
    }
  }
  return { node, keySpan };
}

function spanAtPath(doc: ParsedDocument, segments: string[]): Span | undefined {
  const found = nodeAtPath(doc, segments);
  if (!found) return undefined;
  return nodeSpan(found.node as Node) ?? found.keySpan;
}

function keySpanAtPath(doc: ParsedDocument, segments: string[], key: string): Span | undefined {
  return nodeAtPath(doc, [...segments, key])?.keySpan;
}

/** A mapping's first line (`id: wave1` of a step): where "missing field" is reported. */
function firstLineOfNode(doc: ParsedDocument, segments: string[]): Span | undefined {
  const found = nodeAtPath(doc, segments);
  if (!found) return undefined;
  const node = resolveNode(doc, found.node);
  if (isMap(node) && (node as YAMLMap).items.length > 0) {
    const first = (node as YAMLMap).items[0];
    const start = nodeSpan(first.key as Node);
    const end = nodeSpan(first.value as Node) ?? start;
    if (start && end) return { start: start.start, end: end.end };
  }
  if (segments.length > 0 && found.keySpan) return found.keySpan;
  return nodeSpan(found.node as Node) ?? found.keySpan;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function show(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Date) return 'a date';
  if (ArrayBuffer.isView(value)) return 'binary data';
  if (typeof value === 'object') return 'a mapping';
  if (Number.isNaN(value)) return '`.nan` (not a number)';
  if (typeof value === 'number' && !Number.isFinite(value)) return value > 0 ? '`.inf` (too large)' : '`-.inf`';
  return `\`${clip(String(value))}\``;
}

function clip(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what this replaces
  const oneLine = text.replace(/[\u0000-\u001f\u007f]/g, '�');
  return oneLine.length > 40 ? oneLine.slice(0, 40) + '…' : oneLine;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
