// Lit's templates ship without the indentation and comments that are there for
// people reading the source (build/minify-templates.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { minifyTemplates } from '../../build/minify-templates.js';

describe('minifyTemplates', () => {
  it('turns each line break of html`` and its indentation into one space, which renders the same', () => {
    const source = 'const view = html`\n      <p>\n        ${name}  and\n  more\n      </p>\n    `;';
    assert.equal(minifyTemplates('case.ts', source), 'const view = html` <p> ${name}  and more </p> `;');
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
      "  [tabindex='-1'], [aria-level=\"2\"] { outline: 0; }",
      '`;',
    ].join('\n');
    assert.equal(
      minifyTemplates('case.ts', source),
      'const styles = css` a:hover,a :focus-visible{outline:2px solid red;--gap:.5em}' +
        'input[aria-invalid=true],[type=text]{margin:10.5px -.25em;box-shadow:0 0 0 1px rgb(0 0 0 / .25)}' +
        ".x{font-family:'Segoe UI',sans-serif;width:calc(${space} * .6)}" +
        // Not identifiers: unquoted, these would not parse and the rule would be dropped.
        "[tabindex='-1'],[aria-level=\"2\"]{outline:0}`;",
    );
  });

  it('leaves other tagged templates and plain strings alone', () => {
    const source = 'const a = svg`\n  <g></g>\n`; const b = `\n  keep\n`;';
    assert.equal(minifyTemplates('case.ts', source), source);
  });
});
