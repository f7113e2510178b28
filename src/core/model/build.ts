import * as YAML from 'yaml';
import type { Node, Pair, YAMLMap } from 'yaml';
import { parseClockTime, parseDateTime, parseDurationMinutes } from '../format/duration';
import { nodeSpan, resolveNode, withoutTrailingIndent, type ParsedDocument } from '../format/parse';
import type { Span } from '../diagnostics';
import type {
  ActionName,
  DatabaseDecl,
  DatabaseKind,
  Edition,
  Field,
  MailboxOrder,
  MailboxSet,
  MaintenanceWindow,
  MtaService,
  Runbook,
  ServerDecl,
  ServerLoad,
  ServiceTimeDistribution,
  SimulationSettings,
  Step,
} from './types';
import { MAILBOX_ORDERS } from './types';
import { ACTIONS } from './actions';

// Bound once: the bundle reaches a CommonJS module's exports through a getter on every access,
// which cost ~7 % of a 10,000-server lint when called per key of every server.
const { isMap, isPair, isScalar, isSeq } = YAML;

/**
 * Builds the typed runbook model from the YAML document. Tolerant: a value of the wrong type is
 * simply absent from the model (the schema check reports it), so rules never see garbage.
 */
export function buildRunbook(doc: ParsedDocument, text: string): Runbook {
  const runbook: Runbook = { servers: [], steps: [], simulation: {} };
  const root = doc.contents;
  if (!isMap(root)) return runbook;
  const reader = new MapReader(doc, root);
  runbook.version = reader.number('runbook');
  runbook.name = reader.string('name');
  runbook.description = reader.string('description');

  const servers = reader.value('servers');
  if (isSeq(servers)) {
    runbook.serversSpan = nodeSpan(servers);
    servers.items.forEach((item, index) => {
      const node = resolveNode(doc, item);
      if (isMap(node)) runbook.servers.push(buildServer(doc, node as YAMLMap, index));
    });
  }
  const steps = reader.value('steps');
  if (isSeq(steps)) {
    runbook.stepsSpan = nodeSpan(steps);
    steps.items.forEach((item, index) => {
      const node = resolveNode(doc, item);
      // A non-mapping item (the schema reports it) still takes its place, so runbook.steps[i] is item i.
      runbook.steps.push(isMap(node) ? buildStep(doc, text, node as YAMLMap, index) : placeholderStep(text, item, index));
    });
  }
  const simulation = reader.value('simulation');
  if (isMap(simulation)) runbook.simulation = buildSimulation(doc, simulation as YAMLMap);
  const windowPair = reader.pair('window');
  const windowNode = windowPair ? resolveNode(doc, windowPair.value) : undefined;
  if (windowPair && isMap(windowNode)) runbook.window = buildWindow(doc, windowNode as YAMLMap, windowPair);
  return runbook;
}

function buildServer(doc: ParsedDocument, node: YAMLMap, index: number): ServerDecl {
  const reader = new MapReader(doc, node);
  const server: ServerDecl = {
    index,
    span: nodeSpan(node as Node) ?? { start: 0, end: 0 },
    name: reader.string('name'),
    exchange: reader.integer('exchange'),
    servicePack: reader.integer('servicePack'),
    storeVersion: reader.string('storeVersion'),
    hotfixes: reader.stringList('hotfixes'),
    load: {},
  };
  // Only when declared: a server without them is the same model it always was.
  const edition = reader.enumValue<Edition>('edition', ['standard', 'enterprise']);
  if (edition) server.edition = edition;
  const databases = readDatabases(doc, reader);
  if (databases.length > 0) server.databases = databases;
  const mta = reader.map('mta');
  if (mta) {
    server.mtaSpan = nodeSpan(mta.mapNode as Node);
    server.mtaService = mta.enumValue<MtaService>('service', ['running', 'stopped', 'disabled']);
    server.gatewayOutThreads = mta.integer('gatewayOutThreads');
  }
  server.taskThreads = reader.map('store')?.integer('taskThreads');
  const load = reader.map('load');
  if (load) {
    const keys: (keyof ServerLoad)[] = ['localDeliveryPerMinute', 'deliveryServiceMs', 'owaRequestsPerMinute', 'owaServiceMs'];
    for (const key of keys) server.load[key] = load.number(key);
  }
  return server;
}

export function buildStep(doc: ParsedDocument, text: string, node: YAMLMap, index: number): Step {
  const reader = new MapReader(doc, node);
  const span = ownSpan(text, node) ?? { start: 0, end: 0 };
  const step: Step = {
    index,
    span,
    itemStart: dashBefore(text, span.start),
    id: reader.string('id'),
    action: reader.enumValue<ActionName>('action', ACTIONS),
    title: reader.string('title'),
    notes: reader.string('notes'),
    start: reader.parsed('start', parseDateTime),
    server: reader.string('server'),
    from: reader.string('from'),
    to: reader.string('to'),
    hotfix: reader.string('hotfix'),
    servicePack: reader.integer('servicePack'),
    service: reader.enumValue<MtaService>('service', ['running', 'stopped', 'disabled']),
    gatewayOutThreads: reader.integer('gatewayOutThreads'),
    duration: reader.parsed('duration', parseDurationMinutes),
    concurrency: reader.integer('concurrency'),
    throughputMBPerMinute: reader.positiveNumber('throughputMBPerMinute'),
    mailboxes: readMailboxes(doc, text, reader),
    mailboxFile: reader.map('mailboxes')?.string('file'),
  };
  readDatabaseStepFields(reader, step);
  const services = reader.stringList('services');
  const servicesNode = reader.pair('services');
  if (services.length > 0 && servicesNode) {
    step.services = {
      value: services.map((s) => s.value),
      span: ownSpan(text, servicesNode.value)!,
      keySpan: nodeSpan(servicesNode.key as Node),
    };
  }
  return step;
}

const DATABASE_KINDS: readonly DatabaseKind[] = ['mailbox', 'public'];

/** The databases under `storageGroups`, each with its storage group's name. */
function readDatabases(doc: ParsedDocument, reader: MapReader): DatabaseDecl[] {
  const groups = reader.value('storageGroups');
  if (!isSeq(groups)) return [];
  const databases: DatabaseDecl[] = [];
  for (const item of groups.items) {
    const group = resolveNode(doc, item);
    if (!isMap(group)) continue;
    const groupReader = new MapReader(doc, group as YAMLMap);
    const storageGroup = groupReader.string('name');
    const list = groupReader.value('databases');
    if (!isSeq(list)) continue;
    for (const entry of list.items) {
      const node = resolveNode(doc, entry);
      if (!isMap(node)) continue;
      const db = new MapReader(doc, node as YAMLMap);
      databases.push({
        span: nodeSpan(node as Node) ?? { start: 0, end: 0 },
        name: db.string('name'),
        storageGroup,
        kind: db.enumValue<DatabaseKind>('kind', DATABASE_KINDS),
        sizeGB: db.number('sizeGB'),
        sizeLimitGB: db.integer('sizeLimitGB'),
        gatewayInThreads: db.integer('gatewayInThreads'),
        gatewayOutThreads: db.integer('gatewayOutThreads'),
      });
    }
  }
  return databases;
}

/** The fields of create-database and set-database, and a move's databases and mailbox order; only set when present. */
function readDatabaseStepFields(reader: MapReader, step: Step): void {
  const fields: Partial<Step> = {
    fromDatabase: reader.string('fromDatabase'),
    toDatabase: reader.string('toDatabase'),
    mailboxOrder: reader.enumValue<MailboxOrder>('mailboxOrder', MAILBOX_ORDERS),
    database: reader.string('database'),
    storageGroup: reader.string('storageGroup'),
    kind: reader.enumValue<DatabaseKind>('kind', DATABASE_KINDS),
    sizeLimitGB: reader.integer('sizeLimitGB'),
    gatewayInThreads: reader.integer('gatewayInThreads'),
  };
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) (step as unknown as Record<string, unknown>)[key] = value;
}

/** A step item that is not a mapping: no fields, only its place and position. */
export function placeholderStep(text: string, item: unknown, index: number): Step {
  const span = ownSpan(text, item) ?? { start: 0, end: 0 };
  return { index, span, itemStart: dashBefore(text, span.start) };
}

function readMailboxes(doc: ParsedDocument, text: string, reader: MapReader): Field<MailboxSet> | undefined {
  const pair = reader.pair('mailboxes');
  if (!pair) return undefined;
  const node = resolveNode(doc, pair.value);
  const span = ownSpan(text, pair.value);
  if (!span) return undefined;
  const keySpan = nodeSpan(pair.key as Node);
  if (isMap(node)) {
    const inner = new MapReader(doc, node as YAMLMap);
    const count = inner.integer('count');
    const average = inner.number('averageSizeMB');
    if (!count || count.value < 1 || !average || average.value < 0) return undefined;
    return { value: { count: count.value, averageSizeMB: average.value, totalMB: count.value * average.value }, span, keySpan };
  }
  if (isSeq(node)) {
    const sizesMB: number[] = [];
    for (const item of node.items) {
      const mailbox = resolveNode(doc, item);
      if (!isMap(mailbox)) continue;
      const size = new MapReader(doc, mailbox as YAMLMap).number('sizeMB');
      if (size && size.value >= 0) sizesMB.push(size.value);
    }
    if (sizesMB.length === 0) return undefined;
    const totalMB = sizesMB.reduce((sum, size) => sum + size, 0);
    return { value: { count: sizesMB.length, totalMB, averageSizeMB: totalMB / sizesMB.length, sizesMB }, span, keySpan };
  }
  return undefined;
}

function buildSimulation(doc: ParsedDocument, node: YAMLMap): SimulationSettings {
  const reader = new MapReader(doc, node);
  return {
    seed: reader.integer('seed'),
    flushTimeout: reader.parsed('flushTimeout', parseDurationMinutes),
    serviceTime: reader.enumValue<ServiceTimeDistribution>('serviceTime', ['exponential', 'deterministic']),
    sampleInterval: reader.parsed('sampleInterval', parseDurationMinutes),
    duration: reader.parsed('duration', parseDurationMinutes),
    owaTimeout: reader.parsed('owaTimeout', parseDurationMinutes),
    maxEvents: reader.integer('maxEvents'),
  };
}

/** A collection's span within a step, without the next line's indentation (withoutTrailingIndent). */
function ownSpan(text: string, node: unknown): Span | undefined {
  const span = nodeSpan(node as Node);
  return span && withoutTrailingIndent(text, span);
}

function buildWindow(doc: ParsedDocument, node: YAMLMap, pair: Pair): MaintenanceWindow | undefined {
  const span = nodeSpan(pair.value as Node);
  if (!span) return undefined;
  const reader = new MapReader(doc, node);
  const window: MaintenanceWindow = { span, keySpan: nodeSpan(pair.key as Node), timeZone: reader.string('timeZone'), intervals: [] };
  const daily = reader.map('daily');
  const dailySpan = daily && nodeSpan(daily.mapNode as Node);
  const from = daily?.parsed('from', parseClockTime);
  const to = daily?.parsed('to', parseClockTime);
  if (dailySpan && from && to) window.daily = { from, to, span: dailySpan };
  const intervals = reader.value('intervals');
  if (isSeq(intervals)) {
    for (const item of intervals.items) {
      const interval = resolveNode(doc, item);
      const itemSpan = nodeSpan(item as Node);
      if (!isMap(interval) || !itemSpan) continue;
      const inner = new MapReader(doc, interval as YAMLMap);
      const start = inner.parsed('start', parseDateTime);
      const end = inner.parsed('end', parseDateTime);
      if (start && end && end.value > start.value) window.intervals.push({ start, end, span: itemSpan });
    }
  }
  return window;
}

/** The offset of the `-` that opens a block sequence item whose content starts at `contentStart`. */
function dashBefore(text: string, contentStart: number): number {
  let i = contentStart - 1;
  while (i >= 0 && (text[i] === ' ' || text[i] === '\t')) i--;
  return i >= 0 && text[i] === '-' ? i : contentStart;
}

/** Reads typed fields of one YAML mapping, keeping the spans of keys and values. */
class MapReader {
  constructor(
    private readonly doc: ParsedDocument,
    readonly mapNode: YAMLMap,
  ) {}

  pair(key: string): Pair | undefined {
    for (const item of this.mapNode.items) {
      if (isPair(item) && isScalar(item.key) && item.key.value === key) return item;
    }
    return undefined;
  }

  value(key: string): unknown {
    const pair = this.pair(key);
    return pair ? resolveNode(this.doc, pair.value) : undefined;
  }

  private scalar(key: string): Field<unknown> | undefined {
    const pair = this.pair(key);
    if (!pair) return undefined;
    const value = resolveNode(this.doc, pair.value);
    const span = nodeSpan(pair.value as Node);
    if (!isScalar(value) || !span) return undefined;
    return { value: value.value, span, keySpan: nodeSpan(pair.key as Node) };
  }

  string(key: string): Field<string> | undefined {
    const field = this.scalar(key);
    return field && typeof field.value === 'string' ? (field as Field<string>) : undefined;
  }

  number(key: string): Field<number> | undefined {
    const field = this.scalar(key);
    return field && typeof field.value === 'number' && Number.isFinite(field.value) ? (field as Field<number>) : undefined;
  }

  positiveNumber(key: string): Field<number> | undefined {
    const field = this.number(key);
    return field && field.value > 0 ? field : undefined;
  }

  integer(key: string): Field<number> | undefined {
    const field = this.number(key);
    return field && Number.isInteger(field.value) ? field : undefined;
  }

  enumValue<T extends string>(key: string, allowed: readonly T[]): Field<T> | undefined {
    const field = this.string(key);
    return field && (allowed as readonly string[]).includes(field.value) ? (field as Field<T>) : undefined;
  }

  parsed<T>(key: string, parse: (text: string) => T | undefined): Field<T> | undefined {
    const field = this.string(key);
    if (!field) return undefined;
    const value = parse(field.value);
    return value === undefined ? undefined : { ...field, value };
  }

  stringList(key: string): Field<string>[] {
    const pair = this.pair(key);
    const list = pair ? resolveNode(this.doc, pair.value) : undefined;
    if (!isSeq(list)) return [];
    const out: Field<string>[] = [];
    for (const item of list.items) {
      const value = resolveNode(this.doc, item);
      const span = nodeSpan(item as Node);
      if (isScalar(value) && typeof value.value === 'string' && span) out.push({ value: value.value, span });
    }
    return out;
  }

  map(key: string): MapReader | undefined {
    const value = this.value(key);
    return isMap(value) ? new MapReader(this.doc, value as YAMLMap) : undefined;
  }
}
