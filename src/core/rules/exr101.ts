import type { RuleInfo } from './rule';

/** EXR101: not well-formed YAML (findings from format/parse.ts); nothing else is judged until it is. */
export const exr101: RuleInfo = {
  code: 'EXR101',
  defaultSeverity: 'error',
  title: 'Not well-formed YAML',
  facts: [],
  explanation: 'The file is not well-formed YAML (or expands too far through aliases); nothing else is checked until it is.',
  blocksSimulation: true,
  // A silenced EXR101 would hide every other problem: the fix is to repair the YAML.
  offerSuppression: false,
};
