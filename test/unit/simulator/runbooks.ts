/** Builds runbook models in code for the simulator tests (no YAML), and reads the shipped examples. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseText } from '../../../src/core/format/parse';
import { buildRunbook } from '../../../src/core/model/build';
import type { ActionName, Field, MailboxOrder, MtaService, Runbook, ServerDecl, Step } from '../../../src/core/model/types';

const NOWHERE = { start: 0, end: 0 };

function field<T>(value: T): Field<T> {
  return { value, span: { ...NOWHERE } };
}

function optional<T>(value: T | undefined): Field<T> | undefined {
  return value === undefined ? undefined : field(value);
}

export interface ServerSpec {
  name: string;
  exchange?: number;
  servicePack?: number;
  hotfixes?: string[];
  mtaService?: MtaService;
  gatewayOutThreads?: number;
  taskThreads?: number;
  deliveryPerMinute?: number;
  deliveryServiceMs?: number;
  owaPerMinute?: number;
  owaServiceMs?: number;
}

export interface StepSpec {
  id: string;
  action: ActionName;
  server?: string;
  from?: string;
  to?: string;
  hotfix?: string;
  servicePack?: number;
  /** restart-services: the services restarted. */
  services?: string[];
  service?: MtaService;
  gatewayOutThreads?: number;
  /** Minutes. */
  duration?: number;
  mailboxes?: number[] | { count: number; averageSizeMB: number };
  concurrency?: number;
  throughputMBPerMinute?: number;
  mailboxOrder?: MailboxOrder;
  /** Epoch ms. */
  start?: number;
}

export interface SimulationSpec {
  seed?: number;
  flushTimeout?: number;
  serviceTime?: 'exponential' | 'deterministic';
  sampleInterval?: number;
  duration?: number;
  owaTimeout?: number;
  maxEvents?: number;
}

export function makeRunbook(servers: ServerSpec[], steps: StepSpec[], simulation: SimulationSpec = {}): Runbook {
  return {
    version: field(1),
    name: field('test'),
    servers: servers.map((spec, index): ServerDecl => ({
      index,
      span: { ...NOWHERE },
      name: field(spec.name),
      exchange: field(spec.exchange ?? 2003),
      servicePack: field(spec.servicePack ?? 2),
      hotfixes: (spec.hotfixes ?? []).map(field),
      mtaService: optional(spec.mtaService),
      gatewayOutThreads: optional(spec.gatewayOutThreads),
      taskThreads: optional(spec.taskThreads),
      load: {
        localDeliveryPerMinute: optional(spec.deliveryPerMinute),
        deliveryServiceMs: optional(spec.deliveryServiceMs),
        owaRequestsPerMinute: optional(spec.owaPerMinute),
        owaServiceMs: optional(spec.owaServiceMs),
      },
    })),
    steps: steps.map((spec, index): Step => {
      const sizes = Array.isArray(spec.mailboxes) ? spec.mailboxes : undefined;
      const set = spec.mailboxes && !Array.isArray(spec.mailboxes) ? spec.mailboxes : undefined;
      const mailboxes = sizes
        ? {
            count: sizes.length,
            totalMB: sizes.reduce((a, b) => a + b, 0),
            averageSizeMB: sizes.reduce((a, b) => a + b, 0) / sizes.length,
            sizesMB: sizes,
          }
        : set
          ? { count: set.count, averageSizeMB: set.averageSizeMB, totalMB: set.count * set.averageSizeMB }
          : undefined;
      return {
        index,
        span: { start: index * 10, end: index * 10 + 9 },
        itemStart: index * 10,
        id: field(spec.id),
        action: field(spec.action),
        start: optional(spec.start),
        server: optional(spec.server),
        from: spec.from === undefined ? undefined : { value: spec.from, span: { start: index * 10 + 1, end: index * 10 + 2 } },
        to: spec.to === undefined ? undefined : { value: spec.to, span: { start: index * 10 + 3, end: index * 10 + 4 } },
        hotfix: optional(spec.hotfix),
        servicePack: optional(spec.servicePack),
        services: optional(spec.services),
        service: optional(spec.service),
        gatewayOutThreads: optional(spec.gatewayOutThreads),
        duration: optional(spec.duration),
        mailboxes: optional(mailboxes),
        concurrency: optional(spec.concurrency),
        throughputMBPerMinute: optional(spec.throughputMBPerMinute),
        ...(spec.mailboxOrder ? { mailboxOrder: field(spec.mailboxOrder) } : {}),
      };
    }),
    simulation: {
      seed: optional(simulation.seed),
      flushTimeout: optional(simulation.flushTimeout),
      serviceTime: optional(simulation.serviceTime),
      sampleInterval: optional(simulation.sampleInterval),
      duration: optional(simulation.duration),
      owaTimeout: optional(simulation.owaTimeout),
      maxEvents: optional(simulation.maxEvents),
    },
  };
}

const EXAMPLES = join(__dirname, '..', '..', '..', '..', 'examples');

/** A runbook from examples/, through the same parser and builder the product uses. */
export function exampleRunbook(name: string): { runbook: Runbook; text: string } {
  const text = readFileSync(join(EXAMPLES, `${name}.runbook.yaml`), 'utf8');
  const parsed = parseText(text);
  return { runbook: buildRunbook(parsed.doc, text), text };
}
