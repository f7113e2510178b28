import type { Finding } from '../diagnostics';
import { EXCHANGE_2003_STORE_BUILDS, KB924567, KB924567_STORE_VERSION, servicePackLabel, STORE_VERSION_PREFIX } from '../model/facts';
import type { ServerDecl } from '../model/types';
import type { SemanticRule } from './rule';

function parseVersion(text: string): number[] {
  return text.split('.').map(Number);
}

function compareVersions(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

/** Which Exchange 2003 service pack a store build belongs to (U1), or undefined before RTM. */
function servicePackOfBuild(build: number): number | undefined {
  let found: number | undefined;
  for (const [servicePack, base] of Object.entries(EXCHANGE_2003_STORE_BUILDS)) if (build >= base) found = Number(servicePack);
  return found;
}

/** The contradiction, in words, between a server's declared store version and its other facts. */
function contradiction(server: ServerDecl): string | undefined {
  const declared = server.storeVersion!.value;
  const version = parseVersion(declared);
  const exchange = server.exchange?.value;
  if (exchange !== undefined) {
    const prefix = STORE_VERSION_PREFIX[exchange];
    if (prefix && prefix.some((part, i) => version[i] !== part)) {
      return `store.exe ${declared} is not an Exchange ${exchange} build (Exchange ${exchange}'s store is ${prefix.join('.')}.x)`;
    }
  }
  if (
    server.hotfixes.some((kb) => kb.value.toUpperCase() === KB924567) &&
    compareVersions(version, parseVersion(KB924567_STORE_VERSION)) < 0
  ) {
    return (
      `KB924567 is listed as installed, but store.exe ${declared} is older than ` +
      `${KB924567_STORE_VERSION}, the version the hotfix installs`
    );
  }
  if (exchange === 2003 && server.servicePack && version[0] === 6 && version[1] === 5) {
    const declaredSp = server.servicePack.value;
    const buildSp = servicePackOfBuild(version[2]);
    if (buildSp !== undefined && buildSp !== declaredSp) {
      return (
        `servicePack is ${declaredSp} (${servicePackLabel(declaredSp)}) but store.exe build ` +
        `${version[2]} is an Exchange 2003 ${servicePackLabel(buildSp)} build (${servicePackLabel(declaredSp)} is build ` +
        `${EXCHANGE_2003_STORE_BUILDS[declaredSp] ?? '?'})`
      );
    }
    if (buildSp === undefined)
      return `store.exe build ${version[2]} is older than any Exchange 2003 build (RTM is ${EXCHANGE_2003_STORE_BUILDS[0]})`;
  }
  return undefined;
}

/** EXR006: the declared store version contradicts the declared service pack or hotfixes (F6, U1). */
export const exr006: SemanticRule = {
  code: 'EXR006',
  defaultSeverity: 'warning',
  title: 'Store version contradicts the service pack or hotfixes',
  facts: ['F6', 'U1'],
  explanation:
    "The inventory's store.exe version disagrees with its service pack or hotfixes: for example " +
    'KB924567 listed while store.exe is older than 6.5.7652.5 (the version the hotfix installs), ' +
    'or an SP1 build on a server declared SP2. The rules judge by servicePack and hotfixes, so a ' +
    'wrong inventory hides or invents problems.',
  check(context) {
    const findings: Finding[] = [];
    for (const server of context.runbook.servers) {
      if (!server.storeVersion || !/^\d+\.\d+\.\d+\.\d+$/.test(server.storeVersion.value)) continue;
      const problem = contradiction(server);
      if (!problem) continue;
      const name = server.name?.value ?? `server ${server.index + 1}`;
      findings.push({
        code: 'EXR006',
        span: server.storeVersion.span,
        message:
          `The inventory of ${name} contradicts itself: ${problem}. Check which is true on ` +
          `the server; the rules judge by servicePack and hotfixes.`,
        data: { server: name },
      });
    }
    return findings;
  },
};
