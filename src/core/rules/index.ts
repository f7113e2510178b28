import { exr001 } from './exr001';
import { exr002 } from './exr002';
import { exr003 } from './exr003';
import { exr004 } from './exr004';
import { exr006 } from './exr006';
import { exr007 } from './exr007';
import { exr010 } from './exr010';
import { exr011 } from './exr011';
import { exr012 } from './exr012';
import type { RuleInfo, SemanticRule } from './rule';

/** The semantic rules, run in this order over the model. */
export const SEMANTIC_RULES: readonly SemanticRule[] = [exr001, exr002, exr003, exr004, exr006, exr007, exr010, exr011, exr012];

/** Codes produced outside the semantic pass: by the simulator, the YAML parser, the schema check and suppressions. */
const OTHER_RULES: readonly RuleInfo[] = [
  {
    code: 'EXR005',
    defaultSeverity: 'warning',
    title: 'Simulation predicts store task-thread exhaustion during a move',
    facts: ['F3', 'F4', 'F5', 'N1', 'N2', 'N3'],
    explanation:
      "The simulator runs the runbook against a model of each server's Information Store (task " +
      'threads, local delivery, OWA, moves and transit-mail flushes) and predicts that every store ' +
      'task thread is busy while work waits during a move step. Numbers no source gives (task ' +
      'threads, throughput, service times) are assumptions you can set.',
  },
  {
    code: 'EXR100',
    defaultSeverity: 'error',
    title: 'The runbook breaks the schema',
    facts: [],
    explanation:
      'A field has the wrong type or value, is unknown, or is missing ' +
      '(schemas/runbook.schema.json). One diagnostic per problem, on the exact node.',
  },
  {
    code: 'EXR101',
    defaultSeverity: 'error',
    title: 'Not well-formed YAML',
    facts: [],
    explanation: 'The file is not well-formed YAML (or expands too far through aliases); nothing else is checked until it is.',
  },
  {
    code: 'EXR102',
    defaultSeverity: 'warning',
    title: 'Suppression comment that suppresses nothing',
    facts: [],
    explanation:
      'An `# exrunbook-disable-next-line CODE` comment names a code that has no diagnostic on the ' +
      'next line or step, or a code that does not exist. Stale suppressions hide future problems.',
  },
];

/** Every rule code with its metadata, sorted by code. */
export const RULES: readonly RuleInfo[] = [...SEMANTIC_RULES, ...OTHER_RULES]
  .map(({ code, defaultSeverity, title, facts, explanation }) => ({ code, defaultSeverity, title, facts, explanation }))
  .sort((a, b) => a.code.localeCompare(b.code));

const BY_CODE = new Map(RULES.map((rule) => [rule.code, rule]));

export function ruleInfo(code: string): RuleInfo | undefined {
  return BY_CODE.get(code);
}

/** Path of a rule's documentation page, relative to the project root. */
export function ruleDocPath(code: string): string {
  return `docs/rules/${code}.md`;
}

export type { RuleContext, RuleInfo, SemanticRule } from './rule';
