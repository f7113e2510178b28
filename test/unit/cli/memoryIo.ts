import { run, type CliIo } from '../../../src/cli/main';

export interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * run() over an in-memory file system: each path maps to the text the CLI would have decoded; `-`
 * is standard input. A missing path fails as Node's ENOENT does.
 */
export function cliWith(files: Record<string, string>, argv: string[], cwd = '/work/project'): Captured {
  let stdout = '';
  let stderr = '';
  const read = (path: string) => {
    if (!Object.hasOwn(files, path)) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
    return files[path];
  };
  const io: CliIo = {
    out: (text) => (stdout += text),
    err: (text) => (stderr += text),
    readFile: read,
    readStdin: () => read('-'),
    cwd: () => cwd,
  };
  return { code: run(argv, io), stdout, stderr };
}
