// What a page loads before the CDN bundle runs: the bundle and the chunks it
// imports statically, transitively. What it imports on demand (later steps,
// locales) loads later and is not counted. Shared by `npm run bench` and the
// host matrix's cost table.
import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { parseSync } from 'vite';

/** The files `file` imports (or re-exports) statically, by path relative to `dir`; parsed, so comments and strings do not count. */
function staticImports(dir: string, file: string): string[] {
  const { program } = parseSync(file, readFileSync(join(dir, file), 'utf8'));
  return program.body.flatMap((statement) => {
    const specifier = 'source' in statement ? statement.source?.value : undefined;
    return typeof specifier === 'string' && specifier.startsWith('.') ? [posix.join(posix.dirname(file), specifier)] : [];
  });
}

/** `entry` and everything it loads before it runs, by path relative to `dir`. */
export function withStaticImports(dir: string, entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    staticImports(dir, file).forEach(visit);
  };
  visit(entry);
  return [...seen];
}
