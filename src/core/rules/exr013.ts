import type { Finding } from '../diagnostics';
import type { Field } from '../model/types';
import { KNOWN_KBS } from '../model/facts';
import { closestMatches } from '../format/words';
import { byStep, stepLabel, type SemanticRule } from './rule';

/**
 * EXR013: a KB id the product does not know. It is recorded as installed and changes nothing in
 * the checks or the simulation, which is right for an unrelated hotfix and wrong for a typo of a
 * known one (`KB924576`): the server is then judged without the hotfix that was meant.
 */
export const exr013: SemanticRule = {
  code: 'EXR013',
  defaultSeverity: 'information',
  title: 'A KB this extension does not know',
  facts: [],
  explanation:
    'The checks and the simulation know what KB924567 and KB810489 change. Any other KB id is ' +
    'recorded as installed and changes nothing; a typo of a known one leaves the server judged ' +
    'without it.',
  fixes({ diagnostic }) {
    const suggestion = diagnostic.data?.suggestedKb;
    if (typeof suggestion !== 'string') return [];
    return [{ title: `Change to ${suggestion}`, edits: [{ span: diagnostic.span, newText: suggestion }], isPreferred: true }];
  },
  ...byStep(
    (_context, step) => {
      const finding =
        step.action?.value === 'install-hotfix' && step.hotfix ? unknownKb(step.hotfix, `in step ${stepLabel(step)}`) : undefined;
      return finding ? [finding] : [];
    },
    (context) => {
      const findings: Finding[] = [];
      for (const server of context.runbook.servers) {
        const name = server.name?.value ?? `server ${server.index + 1}`;
        for (const hotfix of server.hotfixes) {
          const finding = unknownKb(hotfix, `in the hotfixes of ${name}`);
          if (finding) findings.push(finding);
        }
      }
      return findings;
    },
  ),
};

/** EXR013 for a KB this extension does not know, naming the closest it knows when one is closest. */
function unknownKb(field: Field<string>, where: string): Finding | undefined {
  const kb = field.value.toUpperCase();
  if (Object.hasOwn(KNOWN_KBS, kb)) return undefined;
  const [suggestion, ...ties] = closestMatches(kb, Object.keys(KNOWN_KBS));
  const known = suggestion !== undefined && ties.length === 0;
  return {
    code: 'EXR013',
    span: field.span,
    message:
      `${field.value} ${where} is not a KB this extension knows: it is recorded as installed and changes ` +
      `nothing in the checks or the simulation.` +
      (known ? ` Did you mean ${suggestion}?` : ` The KBs it knows: ${Object.keys(KNOWN_KBS).join(', ')}.`),
    data: known ? { suggestedKb: suggestion } : undefined,
  };
}
