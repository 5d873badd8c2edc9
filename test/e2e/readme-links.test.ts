// The README as npm shows it on the package's page: every link in the packed
// README must work there. A relative link must name a file the package ships
// (npm's page has nothing else beside it), an anchor a heading of that file
// (by GitHub's slug rules, which npm's page follows), and a link into the
// repository (`blob/main/…`, `tree/main/…`, raw images) a file or folder this
// repository has. Other absolute links are not followed: the tests run
// offline.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { before, describe, it } from 'node:test';
import { REPO, withFullBuild } from './built-dist.js';
import { runOrExplain } from './run.js';

const REPOSITORY = 'conduit-link/conduit-link';
// What a link into the repository may look like, and whether it names a file or a folder.
const REPOSITORY_LINK = new RegExp(
  `^https://(?:github\\.com/${REPOSITORY}/(blob|tree)/main/|raw\\.githubusercontent\\.com/${REPOSITORY}/main/())([^#?]*)(?:#(.*))?$`,
);

/** Markdown without its fenced code blocks, which hold examples: no links, no headings. */
function withoutFences(markdown: string): string {
  return markdown.replace(/^([ \t]*)(```|~~~)[^]*?^\1\2[ \t]*$/gm, '');
}

/** Markdown without any code, inline code spans too. */
function withoutCode(markdown: string): string {
  return withoutFences(markdown).replace(/(`+)[^`][^]*?\1/g, '');
}

/** Every link target: inline links and images, reference definitions, HTML href/src, autolinks. */
function linksOf(markdown: string): string[] {
  const text = withoutCode(markdown);
  return [
    ...[...text.matchAll(/!?\[(?:[^\][]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((match) => match[1]!),
    ...[...text.matchAll(/^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/gm)].map((match) => match[1]!),
    ...[...text.matchAll(/<(?:a|img)\b[^>]*?\s(?:href|src)\s*=\s*["']([^"']+)["']/gi)].map((match) => match[1]!),
    ...[...text.matchAll(/<(https?:\/\/[^>\s]+)>/g)].map((match) => match[1]!),
  ];
}

/** The anchors GitHub gives a Markdown file's headings: lower case, punctuation dropped, spaces as hyphens, repeats numbered. */
function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const [, heading] of withoutFences(markdown).matchAll(/^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/gm)) {
    // The heading's text as rendered: link text without its target, no emphasis or code marks, no tags.
    const text = heading!
      .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/<[^>]+>/g, '')
      .replace(/[*`]/g, '');
    const slug = text
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
      .replace(/ /g, '-');
    const repeats = seen.get(slug) ?? 0;
    seen.set(slug, repeats + 1);
    anchors.add(repeats === 0 ? slug : `${slug}-${repeats}`);
  }
  return anchors;
}

/** Whether git would leave `path` out of the repository (dist/, .data/ …): such a link is broken on GitHub. */
function ignoredByGit(path: string): boolean {
  try {
    execFileSync('git', ['check-ignore', '-q', path], { cwd: REPO });
    return true;
  } catch {
    return false;
  }
}

describe('the packed README, as the package page shows it', () => {
  let packed: Set<string>;
  let readme: string;

  before(
    async () => {
      // The file list of what `npm pack` ships (under the build lock: dist/ is part of it).
      packed = await withFullBuild(async () => {
        const { stdout } = await runOrExplain('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: REPO, timeout: 120_000 });
        const [{ files }] = JSON.parse(stdout) as [{ files: { path: string }[] }];
        return new Set(files.map((file) => file.path));
      });
      assert(packed.has('README.md'), 'the package ships its README');
      readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    },
    { timeout: 600_000 },
  );

  it('finds its links, code left out', () => {
    const links = linksOf(readme);
    assert(links.includes('#the-backend-contract'), 'an anchor');
    assert(links.some((link) => REPOSITORY_LINK.test(link)), 'a link into the repository');
    assert(!links.some((link) => link === '/privacy'), 'the privacy link inside a code example is not a link');
  });

  it('reads anchors as GitHub makes them', () => {
    const anchors = anchorsOf("# Conduit Link\n## What it costs a page\n### Your server's part: the `token`\n## FAQ\n## FAQ\n```\n# not a heading\n```\n");
    assert.deepEqual([...anchors], ['conduit-link', 'what-it-costs-a-page', 'your-servers-part-the-token', 'faq', 'faq-1']);
  });

  it('links only to files the package ships, headings it has, and files of the repository', () => {
    const anchors = anchorsOf(readme);
    const broken: string[] = [];
    for (const link of linksOf(readme)) {
      const repository = REPOSITORY_LINK.exec(link);
      if (link.startsWith('#')) {
        if (!anchors.has(decodeURIComponent(link.slice(1)))) broken.push(`${link}: no such heading`);
      } else if (repository) {
        const [, kind, , path = '', anchor] = repository;
        const file = join(REPO, decodeURIComponent(path));
        const stats = existsSync(file) ? statSync(file) : undefined;
        if (!stats || ignoredByGit(file)) broken.push(`${link}: not in the repository`);
        else if (kind === 'tree' ? !stats.isDirectory() : !stats.isFile()) broken.push(`${link}: a ${stats.isFile() ? 'file' : 'folder'}, linked as ${kind === 'tree' ? 'a folder' : 'a file'}`);
        else if (anchor && path.endsWith('.md') && !anchorsOf(readFileSync(file, 'utf8')).has(anchor)) broken.push(`${link}: no such heading`);
      } else if (link === `https://github.com/${REPOSITORY}`) {
        // The repository's own page.
      } else if (/^https:\/\/(?:github\.com|raw\.githubusercontent\.com)\/conduit-link\//i.test(link)) {
        broken.push(`${link}: a repository link of another form (blob/main, tree/main or raw …/main)`);
      } else if (!/^[a-z][a-z0-9+.-]*:/i.test(link)) {
        // Relative: npm's page resolves it beside README.md, where only the packed files are.
        const [target = '', anchor] = link.split('#');
        const path = posix.normalize(decodeURIComponent(target)).replace(/\/$/, '');
        const isFile = packed.has(path);
        const isFolder = [...packed].some((file) => file.startsWith(`${path}/`));
        if (!isFile && !isFolder) broken.push(`${link}: not in the package`);
        else if (anchor && isFile && path.endsWith('.md') && !anchorsOf(readFileSync(join(REPO, path), 'utf8')).has(anchor)) broken.push(`${link}: no such heading`);
      }
    }
    assert.deepEqual(broken, []);
  });
});
