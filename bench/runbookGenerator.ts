/**
 * Generates large, realistic runbooks for benchmarks and the incremental-equals-full test:
 * 20 servers, mixed actions, comments, titles, flow and block mailbox lists, some explicit
 * starts. Deterministic for a given seed.
 */

/** A small seeded PRNG (mulberry32): the same seed gives the same runbook. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface GeneratorOptions {
  steps: number;
  servers?: number;
  seed?: number;
}

export function serverName(index: number): string {
  return `EXCH${String(index + 1).padStart(2, '0')}`;
}

function serverBlock(index: number, random: () => number): string {
  const lines = [`  - name: ${serverName(index)}`];
  const exchange = index % 5 === 4 ? 2007 : 2003;
  lines.push(`    exchange: ${exchange}`);
  lines.push(`    servicePack: ${exchange === 2003 ? (index % 3 === 0 ? 1 : 2) : 1}`);
  if (index % 4 === 1) lines.push(`    storeVersion: 6.5.7638.1`);
  if (index % 6 === 2) lines.push(`    hotfixes: [KB924567]`);
  if (index % 2 === 0) {
    lines.push('    mta:');
    lines.push(`      service: ${random() < 0.5 ? 'disabled' : 'stopped'}`);
    if (random() < 0.5) lines.push(`      gatewayOutThreads: ${random() < 0.5 ? 0 : 1}`);
  }
  if (index % 7 === 3) lines.push('    store:', `      taskThreads: ${20 + Math.floor(random() * 40)}`);
  if (index % 5 === 1) lines.push('    load:', '      localDeliveryPerMinute: 600', '      owaRequestsPerMinute: 300');
  return lines.join('\n');
}

function stepBlock(index: number, serverCount: number, random: () => number): string {
  const pick = () => serverName(Math.floor(random() * serverCount));
  const id = `step-${index + 1}`;
  const lines: string[] = [];
  if (random() < 0.08) lines.push(`  # wave ${Math.floor(index / 10) + 1}: check the queues before going on`);
  lines.push(`  - id: ${id}`);
  const roll = random();
  if (random() < 0.3) lines.push(`    title: Step ${index + 1} of the consolidation`);
  if (roll < 0.45) {
    const from = pick();
    let to = pick();
    if (to === from) to = serverName(Number(from.slice(4)) % serverCount);
    lines.push('    action: move-mailboxes', `    from: ${from}`, `    to: ${to}`);
    if (random() < 0.7) {
      lines.push(`    mailboxes: { count: ${1 + Math.floor(random() * 400)}, averageSizeMB: ${50 + Math.floor(random() * 500)} }`);
    } else {
      lines.push('    mailboxes:');
      const count = 1 + Math.floor(random() * 3);
      for (let i = 0; i < count; i++) lines.push(`      - { alias: user${index}x${i}, sizeMB: ${10 + Math.floor(random() * 3000)} }`);
    }
    lines.push(`    concurrency: ${1 + Math.floor(random() * 8)}`);
    if (random() < 0.3) lines.push(`    throughputMBPerMinute: ${10 + Math.floor(random() * 60)}`);
  } else if (roll < 0.55) {
    lines.push(
      '    action: install-hotfix',
      `    server: ${pick()}`,
      `    hotfix: ${random() < 0.6 ? 'KB924567' : 'KB' + (800000 + Math.floor(random() * 199999))}`,
    );
  } else if (roll < 0.65) {
    lines.push(
      '    action: set-mta',
      `    server: ${pick()}`,
      `    service: ${random() < 0.5 ? 'disabled' : 'running'}`,
      `    gatewayOutThreads: ${random() < 0.5 ? 0 : 1}`,
    );
  } else if (roll < 0.72) {
    lines.push('    action: restart-services', `    server: ${pick()}`, '    services: [MSExchangeIS, MSSEARCH]');
  } else if (roll < 0.78) {
    lines.push('    action: reboot', `    server: ${pick()}`);
  } else if (roll < 0.82) {
    lines.push('    action: install-service-pack', `    server: ${pick()}`, `    servicePack: ${1 + Math.floor(random() * 2)}`);
  } else {
    lines.push('    action: wait', `    duration: ${1 + Math.floor(random() * 90)}m`);
  }
  if (random() < 0.04) lines.push(`    start: 2026-12-${String(1 + Math.floor(random() * 27)).padStart(2, '0')}T22:00:00Z`);
  if (random() < 0.05) lines.push('    notes: Ask the help desk to watch the queues   # after hours');
  return lines.join('\n');
}

/** A runbook with `steps` steps over `servers` servers (default 20). */
export function generateRunbook(options: GeneratorOptions): string {
  const random = seededRandom(options.seed ?? 1);
  const serverCount = options.servers ?? 20;
  const parts = [
    '# Generated runbook for benchmarks and tests',
    'runbook: 1',
    `name: Contoso consolidation, ${options.steps} steps`,
    'description: Consolidate the storage groups onto the new servers',
    '',
    'servers:',
  ];
  for (let i = 0; i < serverCount; i++) parts.push(serverBlock(i, random));
  parts.push('', 'simulation:', '  seed: 7', '  flushTimeout: 150m', '', 'steps:');
  for (let i = 0; i < options.steps; i++) parts.push(stepBlock(i, serverCount, random));
  return parts.join('\n') + '\n';
}

export interface SpreadRunbookOptions {
  servers: number;
  /** Months between the two moves' `start:` dates; 0 puts a KB924567 install right after the first move instead. */
  monthsApart: number;
  /** Every server declares its MTA disabled with Gateway Out Threads 0 (the sign KB924567 reads). */
  mtaDisabled?: boolean;
  /** Local deliveries per minute on every server (a load each store keeps up with). */
  deliveryPerMinute?: number;
}

/**
 * A valid runbook that is large in servers or long in time, the shapes that used to exhaust the
 * simulator (issue 16): `servers` declared servers, no `simulation:` block, and two steps, either
 * two moves `monthsApart` months apart or one move and a hotfix install. 80 servers 11 months
 * apart is ~4.8 KB; 10,000 servers with `mtaDisabled` ~1 MB.
 */
export function spreadRunbook(options: SpreadRunbookOptions): string {
  const lines = ['runbook: 1', `name: ${options.servers} servers, ${options.monthsApart} months`, 'servers:'];
  const width = String(options.servers).length;
  const name = (index: number) => `EX${String(index + 1).padStart(Math.max(2, width), '0')}`;
  for (let i = 0; i < options.servers; i++) {
    lines.push(`  - name: ${name(i)}`, '    exchange: 2003', '    servicePack: 2');
    if (options.mtaDisabled) lines.push('    mta: { service: disabled, gatewayOutThreads: 0 }');
    if (options.deliveryPerMinute) lines.push(`    load: { localDeliveryPerMinute: ${options.deliveryPerMinute} }`);
  }
  const move = (id: string, from: number, to: number, start: Date) => [
    `  - id: ${id}`,
    '    action: move-mailboxes',
    `    from: ${name(from)}`,
    `    to: ${name(to)}`,
    '    mailboxes: { count: 10, averageSizeMB: 100 }',
    '    concurrency: 2',
    `    start: ${start.toISOString().replace('.000Z', 'Z')}`,
  ];
  lines.push('steps:', ...move('first-wave', 0, 1, new Date(Date.UTC(2026, 0, 5, 22))));
  if (options.monthsApart > 0) {
    lines.push(...move('second-wave', 2 % options.servers, 3 % options.servers, new Date(Date.UTC(2026, options.monthsApart, 5, 22))));
  } else {
    lines.push('  - id: hotfix', '    action: install-hotfix', `    server: ${name(0)}`, '    hotfix: KB924567');
  }
  return lines.join('\n') + '\n';
}
