/**
 * Every rule code, one line each. A rule is one module (rules/exrNNN.ts) that declares its
 * contract and its policy (severity, whether it blocks simulation or may be suppressed, its quick
 * fixes); semantic rules also `check` the model. Adding a rule: its module, its page
 * (docs/rules/EXRnnn.md), its golden test (test/golden/) and one line here.
 */
import { exr001 } from './exr001';
import { exr002 } from './exr002';
import { exr003 } from './exr003';
import { exr004 } from './exr004';
import { exr005 } from './exr005';
import { exr006 } from './exr006';
import { exr007 } from './exr007';
import { exr008, windowFindings } from './exr008';
import { exr009 } from './exr009';
import { exr010 } from './exr010';
import { exr011 } from './exr011';
import { exr012 } from './exr012';
import { exr013 } from './exr013';
import { exr014 } from './exr014';
import { exr015 } from './exr015';
import { exr016 } from './exr016';
import { exr100 } from './exr100';
import { exr101 } from './exr101';
import { exr102 } from './exr102';
import { exhaustionFindings } from './exr005';
import { isSemanticRule, type RuleInfo, type SemanticRule } from './rule';
import type { Finding } from '../diagnostics';
import type { Runbook } from '../model/types';
import type { SimulationResult } from '../simulator/result';

/** Every rule code with its metadata and policy, sorted by code. */
// prettier-ignore
export const RULES: readonly RuleInfo[] = [
  exr001,
  exr002,
  exr003,
  exr004,
  exr005,
  exr006,
  exr007,
  exr008,
  exr009,
  exr010,
  exr011,
  exr012,
  exr013,
  exr014,
  exr015,
  exr016,
  exr100,
  exr101,
  exr102,
];

/** The rules the semantic pass runs over the model, in code order. */
export const SEMANTIC_RULES: readonly SemanticRule[] = RULES.filter(isSemanticRule);

/** Codes found by a simulation rather than by analysis (pending until a simulation has run). */
export const SIMULATED_CODES: readonly string[] = RULES.filter((rule) => rule.fromSimulation).map((rule) => rule.code);

const BY_CODE = new Map(RULES.map((rule) => [rule.code, rule]));

export function ruleInfo(code: string): RuleInfo | undefined {
  return BY_CODE.get(code);
}

/** Path of a rule's documentation page, relative to the project root. */
export function ruleDocPath(code: string): string {
  return `docs/rules/${code}.md`;
}

export type { FixContext, QuickFix, RuleContext, RuleInfo, SemanticRule } from './rule';

/** Every finding a simulation result gives (the codes marked `fromSimulation`: EXR005, EXR008), for the adapters. */
export function simulationFindings(runbook: Runbook, result: SimulationResult): Finding[] {
  return [...exhaustionFindings(runbook, result), ...windowFindings(runbook, result)];
}
