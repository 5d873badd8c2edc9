// Lit's templates ship without the indentation and comments that are there for
// people reading the source (build/minify-templates.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { minifyTemplates } from '../../build/minify-templates.js';

describe('minifyTemplates', () => {
  it('strips the indentation from html`` but keeps its line breaks, so source maps keep their lines', () => {
    const source = 'const view = html`\n      <p>\n        ${name}\n      </p>\n    `;';
    const minified = minifyTemplates('case.ts', source);
    assert.equal(minified, 'const view = html`\n<p>\n${name}\n</p>\n`;');
    assert.equal(minified.split('\n').length, source.split('\n').length);
  });

  it('drops comments and spacing from css``, keeping its values', () => {
    const source = 'const styles = css`\n  /* why */\n  .step {\n    gap: ${space};\n    font: 1em system-ui;\n  }\n`;';
    assert.equal(minifyTemplates('case.ts', source), 'const styles = css` .step{gap:${space};font:1em system-ui}`;');
  });

  it('writes css`` the short way a CSS minifier would, without changing what any rule means', () => {
    const source = [
      'const styles = css`',
      '  a:hover, a :focus-visible { outline: 2px solid red; --gap: 0.5em; }',
      "  input[aria-invalid='true'], [type=\"text\"] { margin: 10.5px -0.25em; box-shadow: 0 0 0 1px rgb(0 0 0 / 0.25); }",
      "  .x { font-family: 'Segoe UI', sans-serif; width: calc(${space} * 0.6); }",
      '`;',
    ].join('\n');
    assert.equal(
      minifyTemplates('case.ts', source),
      'const styles = css` a:hover,a :focus-visible{outline:2px solid red;--gap:.5em}' +
        'input[aria-invalid=true],[type=text]{margin:10.5px -.25em;box-shadow:0 0 0 1px rgb(0 0 0 / .25)}' +
        ".x{font-family:'Segoe UI',sans-serif;width:calc(${space} * .6)}`;",
    );
  });

  it('leaves other tagged templates and plain strings alone', () => {
    const source = 'const a = svg`\n  <g></g>\n`; const b = `\n  keep\n`;';
    assert.equal(minifyTemplates('case.ts', source), source);
  });
});
