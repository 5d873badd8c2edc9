// What the build-step tests share: running compiled TypeScript, and reading
// positions the way a source map counts them.
import { fileURLToPath } from 'node:url';
import { transformWithOxc } from 'vite';

// Compiled as the build compiles our sources: with the project's tsconfig.
export const SOURCE_FILE = fileURLToPath(new URL('../../src/case.ts', import.meta.url));

/** Compiles a module's TypeScript, runs it, and returns its exports. */
export async function run(typescript: string): Promise<Record<string, any>> {
  const { code } = await transformWithOxc(typescript, SOURCE_FILE, { lang: 'ts' });
  return import(`data:text/javascript,${encodeURIComponent(code)}`);
}

export interface Position {
  line: number;
  column: number;
}

/** The zero-based line and column of `offset` in `code`, as a source map counts them. */
export function positionOf(code: string, offset: number): Position {
  const before = code.slice(0, offset).split('\n');
  return { line: before.length - 1, column: before.at(-1)!.length };
}
