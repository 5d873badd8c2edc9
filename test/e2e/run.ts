// Commands the end-to-end tests run (npm, tsc, tar, node), failing with what
// the command printed: a bare exit code says nothing of why.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

// A failure shows the end of each stream, where the error is; a build's full log would bury it.
const SHOWN_LINES = 50;

export interface RunOptions {
  cwd: string;
  /** In ms; none unless said. */
  timeout?: number;
  /** Set on top of this process's environment. */
  env?: Record<string, string>;
}

/** Runs `command` and resolves to what it printed; if it fails, the error says what it printed. */
export async function runOrExplain(command: string, args: string[], options: RunOptions): Promise<{ stdout: string; stderr: string }> {
  // npm's own variables, when the suite runs under `npm test`, must not point a nested npm at the repo.
  const inherited = Object.entries(process.env).filter(([name]) => !/^npm_(package_|lifecycle_|config_local_prefix)/i.test(name));
  const env = { ...Object.fromEntries(inherited), ...options.env };
  try {
    return await promisify(execFile)(command, args, { cwd: options.cwd, timeout: options.timeout, env, maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${options.cwd}:\n${tail(stdout)}\n${tail(stderr)}`, { cause: error });
  }
}

function tail(output = ''): string {
  return output.trimEnd().split('\n').slice(-SHOWN_LINES).join('\n');
}
