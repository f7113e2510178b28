/** The databases part of a server's state in hovers (model/databases.ts), kept apart from hover.ts's ordering. */
import { standardEditionLimit } from '../model/databases';
import { flushBehaviour, type FlushBehaviour } from '../model/state';
import type { ServerState } from '../model/types';
import { escapeMarkdown } from './markdown';

const gb = (value: number) => `${Math.round(value * 10) / 10} GB`;

/** One line per database the server has at this point; none for a server without databases. */
export function databaseStateLines(state: ServerState): string[] {
  if (!state.databases) return [];
  const lines: string[] = [];
  for (const db of state.databases.values()) {
    const group = db.storageGroup ? `${escapeMarkdown(db.storageGroup)}, ` : '';
    const limit = standardEditionLimit(state, db);
    const size = `${gb(db.sizeGB)}${limit ? ` of ${gb(limit.gb)}` : ''}`;
    const exposed =
      db.kind === 'mailbox' && flushBehaviour(state, db.gatewayOutThreads) === 'hold' ? '; ⚠ moves out of it are exposed to KB924567' : '';
    lines.push(
      `- Database ${escapeMarkdown(db.name)} (${group}${db.kind}): ${size}, Gateway In Threads ${db.gatewayInThreads}, ` +
        `Gateway Out Threads ${db.gatewayOutThreads}${exposed}`,
    );
  }
  return lines;
}

/** The verdict for moves off the server: with databases, the worst of its mailbox databases ('hold' before 'brief' before 'none'). */
export function serverFlushVerdict(state: ServerState): FlushBehaviour {
  const mailbox = [...(state.databases?.values() ?? [])].filter((db) => db.kind === 'mailbox');
  if (mailbox.length === 0) return flushBehaviour(state);
  const behaviours = mailbox.map((db) => flushBehaviour(state, db.gatewayOutThreads));
  return behaviours.includes('hold') ? 'hold' : behaviours.includes('brief') ? 'brief' : 'none';
}
