// Theming as a partner does it and as a user sees it: design tokens on :root
// or on <conduit-link>, the theme attribute, the user's colour, contrast and
// motion settings, ::part rules and slotted content. Every check reads what is
// painted (computed colours, sizes and boxes of the things a user looks at),
// found by role, label and text; parts are located by their documented names.
import { expect } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import { isRendered, normalise } from './a11y.js';
import { Flow, type FlowOptions } from './harness.js';
import { backgroundBehind, expectDark, expectLight, luminance, renderedParent, rgba } from './paint.js';

// ---------------------------------------------------------------- colours

/** A colour as a comparable string, `r,g,b,a`. */
function colourKey(colour: string): string {
  return rgba(colour).join(',');
}

/** WCAG contrast ratio between two opaque colours. */
function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light! + 0.05) / (dark! + 0.05);
}

// ---------------------------------------------------------------- what the user sees

function style(element: Element): CSSStyleDeclaration {
  return getComputedStyle(element);
}

/** The step's title: its first heading (the permissions step has sub-headings below it). */
async function heading(flow: Flow): Promise<HTMLElement> {
  const [title] = await flow.all('heading');
  if (!title) throw new Error(`No heading in: ${flow.text}`);
  return title;
}

/** "Step 1 of 4" in the header (the live region says the same words, unseen). */
function stepPosition(flow: Flow): HTMLElement {
  const position = flow.element.shadowRoot!.querySelector<HTMLElement>('header .position');
  if (!position || !/^Step \d of \d$/.test(normalise(position.textContent ?? ''))) throw new Error(`No step position in the header: ${flow.text}`);
  return position;
}

/** An integration tile on the picker: the box the user clicks to choose it. */
async function tile(flow: Flow, name = 'Chargify'): Promise<HTMLLabelElement> {
  const label = (await flow.field(name)).labels?.[0];
  if (!label) throw new Error(`No tile for ${name}`);
  return label;
}

/** Elements in reading order: the flat tree, slotted content where its slot is. */
function readingOrder(root: Element): Element[] {
  const order: Element[] = [];
  const walk = (node: Element) => {
    const children =
      node instanceof HTMLSlotElement
        ? node.assignedElements({ flatten: true }).length > 0
          ? node.assignedElements({ flatten: true })
          : Array.from(node.children)
        : Array.from((node.shadowRoot ?? node).children);
    for (const child of children) {
      order.push(child);
      walk(child);
    }
  };
  walk(root);
  return order;
}

/** True when `inner`'s box lies within `outer`'s (to the pixel). */
function isInside(inner: Element, outer: Element): boolean {
  const a = inner.getBoundingClientRect();
  const b = outer.getBoundingClientRect();
  return a.width > 0 && a.height > 0 && a.left >= b.left - 1 && a.right <= b.right + 1 && a.top >= b.top - 1 && a.bottom <= b.bottom + 1;
}

function describeBox(element: Element): string {
  const { left, top, right, bottom } = element.getBoundingClientRect();
  return `<${element.localName}> [${Math.round(left)}, ${Math.round(top)} → ${Math.round(right)}, ${Math.round(bottom)}]`;
}

/** Laid out at all, seen or not: an invisible box still takes its room and its gap in the card. */
function takesRoom(element: Element): boolean {
  return element.getClientRects().length > 0;
}

// ---------------------------------------------------------------- host page set-up, undone after each test

const pageStyles: HTMLStyleElement[] = [];

/** A stylesheet the host page adds to its <head>. */
function addPageStyle(css: string): void {
  const element = document.createElement('style');
  element.textContent = css;
  document.head.append(element);
  pageStyles.push(element);
}

function declarations(tokens: Record<string, string>): string {
  return Object.entries(tokens)
    .map(([name, value]) => `${name}: ${value};`)
    .join(' ');
}

let emulated = false;

async function emulate(media: Parameters<typeof emulateMedia>[0]): Promise<void> {
  emulated = true;
  await emulateMedia(media);
}

afterEach(async () => {
  for (const element of pageStyles.splice(0)) element.remove();
  if (emulated) {
    // Playwright takes null as "stop emulating".
    await emulateMedia({ colorScheme: null, reducedMotion: null, forcedColors: null } as unknown as Parameters<typeof emulateMedia>[0]);
    emulated = false;
    const leftOver = ['(forced-colors: active)', '(prefers-reduced-motion: reduce)', '(prefers-color-scheme: dark)'].filter(
      (query) => matchMedia(query).matches,
    );
    if (leftOver.length > 0) throw new Error(`Media emulation not reset: ${leftOver.join(', ')}`);
  }
});

interface Theming {
  /** Tokens the host page sets on :root. */
  root?: Record<string, string>;
  /** Tokens set on <conduit-link> itself, in its style attribute. */
  element?: Record<string, string>;
  attributes?: Record<string, string>;
}

async function mountThemed({ root, element, attributes }: Theming = {}, options: FlowOptions = {}): Promise<Flow> {
  if (root) addPageStyle(`:root { ${declarations(root)} }`);
  const style: Record<string, string> = element ? { style: declarations(element) } : {};
  return Flow.mount({ ...options, attributes: { ...options.attributes, ...attributes, ...style } });
}

// ---------------------------------------------------------------- journeys to the states a token shows in

async function chooseChargify(flow: Flow): Promise<void> {
  await flow.choose('Chargify');
}

async function rejectKeyId(flow: Flow): Promise<void> {
  await flow.toCredentials();
  await flow.submitCredentials('acme', '418263');
}

async function connect(flow: Flow): Promise<void> {
  await flow.toCredentials();
  await flow.submitCredentials('acme', 'chg_demo_acme_admin');
  await flow.waitForStep('success');
}

const keyIdError = /^That looks like the key's ID, not the key\./;

// ================================================================ tokens

interface TokenCase {
  token: string;
  /** Where the user sees it. */
  where: string;
  value: string;
  /** A different value, for :root when the element sets `value`. */
  other: string;
  /** Takes the flow to the state and reads what is painted there, comparable with `expected`. */
  see: (flow: Flow) => Promise<string>;
  /** What `see` reads when the token is `value`. */
  expected: (value: string) => string;
}

const asColour = (value: string) => colourKey(value);
const asIs = (value: string) => value;

const TOKENS: TokenCase[] = [
  {
    token: '--conduit-color-primary',
    where: 'the background of the primary button',
    value: '#7a1fa2',
    other: '#0f766e',
    see: async (flow) => (await chooseChargify(flow), colourKey(style(await flow.button('Next')).backgroundColor)),
    expected: asColour,
  },
  {
    token: '--conduit-color-primary-text',
    where: 'the label of the primary button',
    value: '#fde68a',
    other: '#a7f3d0',
    see: async (flow) => (await chooseChargify(flow), colourKey(style(await flow.button('Next')).color)),
    expected: asColour,
  },
  {
    token: '--conduit-color-background',
    where: 'the card behind the text',
    value: '#fdf6e3',
    other: '#eef2ff',
    see: async (flow) => colourKey(backgroundBehind(await heading(flow))),
    expected: asColour,
  },
  {
    token: '--conduit-color-surface',
    where: 'the selected integration tile',
    value: '#e0f2fe',
    other: '#fef3c7',
    see: async (flow) => (await chooseChargify(flow), colourKey(backgroundBehind(await tile(flow)))),
    expected: asColour,
  },
  {
    token: '--conduit-color-text',
    where: 'the heading and body text',
    value: '#3f1d38',
    other: '#1e3a8a',
    see: async (flow) => colourKey(style(await heading(flow)).color),
    expected: asColour,
  },
  {
    token: '--conduit-color-muted',
    where: 'the step position',
    value: '#4a5d23',
    other: '#6b21a8',
    see: async (flow) => colourKey(style(stepPosition(flow)).color),
    expected: asColour,
  },
  {
    token: '--conduit-color-danger',
    where: 'an error message next to a field',
    value: '#9f1239',
    other: '#7c2d12',
    see: async (flow) => (await rejectKeyId(flow), colourKey(style(flow.byText(keyIdError)).color)),
    expected: asColour,
  },
  {
    token: '--conduit-color-danger',
    where: 'the border of the field it rejected',
    value: '#9f1239',
    other: '#7c2d12',
    see: async (flow) => (await rejectKeyId(flow), colourKey(style(await flow.field('API key')).borderTopColor)),
    expected: asColour,
  },
  {
    token: '--conduit-color-success',
    where: 'the success mark',
    value: '#047857',
    other: '#1d4ed8',
    see: async (flow) => (await connect(flow), colourKey(style(flow.byText('✓')).backgroundColor)),
    expected: asColour,
  },
  {
    token: '--conduit-color-border',
    where: "a field's border",
    value: '#64748b',
    other: '#a16207',
    see: async (flow) => (await flow.toCredentials(), colourKey(style(await flow.field('Site subdomain')).borderTopColor)),
    expected: asColour,
  },
  {
    token: '--conduit-focus-ring',
    where: 'the outline of the focused field',
    value: '#c2410c',
    other: '#15803d',
    see: async (flow) => {
      await flow.toCredentials();
      const field = await flow.field('Site subdomain');
      field.focus();
      expect(style(field).outlineStyle, 'the focused field has an outline').to.equal('solid');
      return colourKey(style(field).outlineColor);
    },
    expected: asColour,
  },
  {
    token: '--conduit-radius',
    where: "the card's corners",
    value: '20px',
    other: '3px',
    see: async (flow) => style(flow.card).borderTopLeftRadius,
    expected: asIs,
  },
  {
    token: '--conduit-font-family',
    where: 'the heading',
    value: 'Georgia, serif',
    other: 'monospace',
    see: async (flow) => style(await heading(flow)).fontFamily,
    expected: asIs,
  },
  {
    token: '--conduit-font-size',
    where: "the primary button's label",
    value: '20px',
    other: '13px',
    see: async (flow) => style(await flow.button('Next')).fontSize,
    expected: asIs,
  },
  {
    token: '--conduit-space',
    where: 'the padding of an integration tile',
    value: '24px',
    other: '6px',
    see: async (flow) => style(await tile(flow)).paddingTop,
    expected: asIs,
  },
];

describe('theme: design tokens', () => {
  it('tokens set on <conduit-link> reach the modal dialog', async () => {
    const flow = await mountThemed(
      { element: { '--conduit-color-background': '#fdf6e3', '--conduit-color-primary': '#7a1fa2', '--conduit-radius': '20px' } },
      { attributes: { mode: 'modal' }, noWait: true },
    );
    await flow.open();
    expect(colourKey(backgroundBehind(await heading(flow))), 'the card').to.equal(colourKey('#fdf6e3'));
    expect(style(flow.card).borderTopLeftRadius, "the card's corners").to.equal('20px');
    await chooseChargify(flow);
    expect(colourKey(style(await flow.button('Next')).backgroundColor), 'the primary button').to.equal(colourKey('#7a1fa2'));
  });

  it('reads every colour form a computed style can take (the contrast helper itself)', () => {
    expect(rgba('rgb(255, 0, 0)')).to.deep.equal([255, 0, 0, 255]);
    expect(rgba('color(srgb 0 0.5 1)')).to.deep.equal([0, 128, 255, 255]);
    expect(rgba('color(xyz-d65 0.9505 1 1.089)').slice(0, 3).every((channel) => channel >= 254)).to.equal(true);
    expect(rgba('color(xyz-d65 0 0 0)')).to.deep.equal([0, 0, 0, 255]);
    expect(rgba('rgba(0, 0, 0, 0)')[3]).to.equal(0);
    expect(contrast('#ffffff', '#000000')).to.be.closeTo(21, 0.01);
    expect(contrast('#767676', '#ffffff')).to.be.closeTo(4.54, 0.01);
  });

  for (const { token, where, value, other, see, expected } of TOKENS) {
    describe(`${token} → ${where}`, () => {
      it('takes effect when the host page sets it on :root', async () => {
        const flow = await mountThemed({ root: { [token]: value } });
        expect(await see(flow)).to.equal(expected(value));
      });

      it('takes effect when set on <conduit-link>', async () => {
        const flow = await mountThemed({ element: { [token]: value } });
        expect(await see(flow)).to.equal(expected(value));
      });

      it('on <conduit-link> beats :root', async () => {
        const flow = await mountThemed({ root: { [token]: other }, element: { [token]: value } });
        expect(await see(flow)).to.equal(expected(value));
      });

      it('is not what the flow shows by default (so the checks above can fail)', async () => {
        const flow = await mountThemed();
        expect(await see(flow)).not.to.equal(expected(value));
      });
    });
  }
});

// ================================================================ theme attribute

interface Readability {
  text: number;
  muted: number;
  primaryLabel: number;
  fieldBorder: number;
}

/** On the credentials step: the contrast of what the user must read or find. */
async function readability(flow: Flow): Promise<Readability> {
  await flow.toCredentials();
  const title = await heading(flow);
  const position = stepPosition(flow);
  const intro = flow.byText(/^Enter your site and an API key/);
  const submit = await flow.button('Continue');
  const field = await flow.field('Site subdomain');
  expect(colourKey(style(intro).color), 'the intro is muted text').to.equal(colourKey(style(position).color));
  return {
    text: contrast(style(title).color, backgroundBehind(title)),
    muted: Math.min(contrast(style(position).color, backgroundBehind(position)), contrast(style(intro).color, backgroundBehind(intro))),
    primaryLabel: contrast(style(submit).color, style(submit).backgroundColor),
    fieldBorder: contrast(style(field).borderTopColor, backgroundBehind(renderedParent(field)!)),
  };
}

function expectReadable(ratios: Readability): void {
  expect(ratios.text, 'body text on the card').to.be.at.least(4.5);
  expect(ratios.muted, 'muted text on the card').to.be.at.least(4.5);
  expect(ratios.primaryLabel, "the primary button's label on its colour").to.be.at.least(4.5);
  expect(ratios.fieldBorder, "a field's border against the card").to.be.at.least(3);
}

describe('theme attribute', () => {
  it('is light by default, and readable', async () => {
    const flow = await mountThemed();
    await expectLight(flow.element);
    expectReadable(await readability(flow));
    await expectLight(flow.element);
  });

  it('theme="light" is the same light palette', async () => {
    const byDefault = await mountThemed();
    const defaultCard = colourKey(backgroundBehind(await heading(byDefault)));
    const flow = await mountThemed({ attributes: { theme: 'light' } });
    await expectLight(flow.element);
    expect(colourKey(backgroundBehind(await heading(flow)))).to.equal(defaultCard);
  });

  it('theme="dark" draws a dark card with light, readable text', async () => {
    const flow = await mountThemed({ attributes: { theme: 'dark' } });
    await expectDark(flow.element);
    await expect(flow.element).to.be.accessible();
    await chooseChargify(flow);
    const next = await flow.button('Next');
    expect(contrast(style(next).color, style(next).backgroundColor), 'Next on the picker').to.be.at.least(4.5);
    expectReadable(await readability(flow));
    await expectDark(flow.element);
    await expect(flow.element).to.be.accessible();
  });

  it('theme="dark" keeps error messages readable', async () => {
    const flow = await mountThemed({ attributes: { theme: 'dark' } });
    await rejectKeyId(flow);
    const message = flow.byText(keyIdError);
    expect(contrast(style(message).color, backgroundBehind(message)), 'error text on the card').to.be.at.least(4.5);
    const field = await flow.field('API key');
    expect(contrast(style(field).borderTopColor, backgroundBehind(renderedParent(field)!)), 'the rejected field’s border').to.be.at.least(3);
    await expect(flow.element).to.be.accessible();
  });

  it('theme="dark" keeps the success mark readable', async () => {
    const flow = await mountThemed({ attributes: { theme: 'dark' } });
    await connect(flow);
    const mark = flow.byText('✓');
    expect(contrast(style(mark).color, style(mark).backgroundColor), 'the tick on the success colour').to.be.at.least(4.5);
    await expect(flow.element).to.be.accessible();
  });

  it('theme="dark" applies inside the modal dialog', async () => {
    const flow = await mountThemed({ attributes: { theme: 'dark', mode: 'modal' } }, { noWait: true });
    await flow.open();
    await expectDark(flow.element);
    await expect(flow.element).to.be.accessible();
  });

  it('theme="system" follows a dark colour-scheme preference in the modal dialog too', async () => {
    await emulate({ colorScheme: 'dark' });
    const flow = await mountThemed({ attributes: { theme: 'system', mode: 'modal' } }, { noWait: true });
    await flow.open();
    await expectDark(flow.element);
  });

  it('theme="system" follows a dark colour-scheme preference', async () => {
    await emulate({ colorScheme: 'dark' });
    const flow = await mountThemed({ attributes: { theme: 'system' } });
    await expectDark(flow.element);
    expectReadable(await readability(flow));
    await expect(flow.element).to.be.accessible();
  });

  it('theme="system" follows a light colour-scheme preference', async () => {
    await emulate({ colorScheme: 'light' });
    const flow = await mountThemed({ attributes: { theme: 'system' } });
    await expectLight(flow.element);
  });

  it('theme="light" stays light when the user prefers dark', async () => {
    await emulate({ colorScheme: 'dark' });
    const flow = await mountThemed({ attributes: { theme: 'light' } });
    await expectLight(flow.element);
  });

  it('a host token set on :root still wins in the dark theme', async () => {
    const flow = await mountThemed({
      attributes: { theme: 'dark' },
      root: { '--conduit-color-background': '#0b3d2e', '--conduit-color-primary': '#fbbf24' },
    });
    expect(colourKey(backgroundBehind(await heading(flow))), 'the card').to.equal(colourKey('#0b3d2e'));
    await chooseChargify(flow);
    expect(colourKey(style(await flow.button('Next')).backgroundColor), 'the primary button').to.equal(colourKey('#fbbf24'));
  });
});

// ================================================================ readable text on any primary colour

const PRIMARIES: { colour: string; label: 'near-black' | 'white' }[] = [
  { colour: '#ffd400', label: 'near-black' },
  { colour: '#a7f3d0', label: 'near-black' },
  { colour: '#ffffff', label: 'near-black' },
  { colour: '#111827', label: 'white' },
  { colour: '#3b4fd8', label: 'white' },
  { colour: '#b42318', label: 'white' },
];

describe('theme: readable text on any primary colour', () => {
  for (const { colour, label } of PRIMARIES) {
    for (const scope of ['root', 'element'] as const) {
      it(`a ${label} label on ${colour} (set on ${scope === 'root' ? ':root' : '<conduit-link>'})`, async () => {
        const flow = await mountThemed({ [scope]: { '--conduit-color-primary': colour } });
        await chooseChargify(flow);
        const next = await flow.button('Next');
        const { color, backgroundColor } = style(next);
        expect(colourKey(backgroundColor), 'the button is the partner’s colour').to.equal(colourKey(colour));
        if (label === 'white') expect(rgba(color).slice(0, 3).every((channel) => channel >= 250), `label ${color} is white`).to.equal(true);
        else expect(luminance(color), `label ${color} is near-black`).to.be.below(0.02);
        expect(contrast(color, backgroundColor), 'label on the button').to.be.at.least(4.5);
        await expect(flow.element).to.be.accessible();
      });
    }
  }

  it('keeps the label readable on every step', async () => {
    const flow = await mountThemed({ element: { '--conduit-color-primary': '#ffd400' } });
    const check = async (name: string) => {
      const button = await flow.button(name);
      expect(contrast(style(button).color, style(button).backgroundColor), name).to.be.at.least(4.5);
    };
    await chooseChargify(flow);
    await check('Next');
    await flow.click('Next');
    await flow.waitForStep('permissions');
    await check('Next');
    await flow.click('Next');
    await flow.waitForStep('credentials');
    await check('Continue');
    await flow.submitCredentials('acme', 'chg_demo_acme_admin');
    await flow.waitForStep('success');
    await check('Finish');
    await expect(flow.element).to.be.accessible();
  });

  it('an explicit --conduit-color-primary-text wins over the automatic choice', async () => {
    const flow = await mountThemed({ element: { '--conduit-color-primary': '#111827', '--conduit-color-primary-text': '#ffd400' } });
    await chooseChargify(flow);
    expect(colourKey(style(await flow.button('Next')).color)).to.equal(colourKey('#ffd400'));
  });
});

// ================================================================ forced colours and reduced motion

describe('theme: forced colours', () => {
  it('keeps the primary button readable in forced colours', async () => {
    await emulate({ forcedColors: 'active' });
    const flow = await mountThemed({ element: { '--conduit-color-primary': '#ffd400' } });
    expect(matchMedia('(forced-colors: active)').matches, 'forced colours are emulated').to.equal(true);
    await chooseChargify(flow);
    const next = await flow.button('Next');
    expect(contrast(style(next).color, style(next).backgroundColor)).to.be.at.least(4.5);
  });

  it('marks the selected integration with an outline, since box shadows vanish', async () => {
    await emulate({ forcedColors: 'active' });
    const flow = await mountThemed();
    expect(style(await tile(flow)).outlineStyle, 'before choosing').to.equal('none');
    await chooseChargify(flow);
    const chosen = style(await tile(flow));
    expect(chosen.boxShadow).to.equal('none');
    expect(chosen.outlineStyle).to.equal('solid');
    expect(parseFloat(chosen.outlineWidth)).to.be.at.least(2);
  });

  it('without forced colours the selected tile is marked by its shadow ring', async () => {
    const flow = await mountThemed();
    await chooseChargify(flow);
    expect(style(await tile(flow)).boxShadow).not.to.equal('none');
    expect(style(await tile(flow)).outlineStyle, 'no outline: the ring is the shadow').to.equal('none');
  });
});

describe('theme: reduced motion', () => {
  it('the modal dialog rises in when motion is welcome', async () => {
    await emulate({ reducedMotion: 'no-preference' });
    const flow = await mountThemed({ attributes: { mode: 'modal' } }, { noWait: true });
    const dialog = await flow.open();
    expect(style(dialog).animationName).not.to.equal('none');
  });

  it('the modal dialog does not animate when the user prefers reduced motion', async () => {
    await emulate({ reducedMotion: 'reduce' });
    const flow = await mountThemed({ attributes: { mode: 'modal' } }, { noWait: true });
    const dialog = await flow.open();
    expect(style(dialog).animationName).to.equal('none');
  });
});

// ================================================================ parts

const PART_COLOURS = {
  'primary-button': 'rgb(201, 0, 101)',
  heading: 'rgb(0, 110, 60)',
  tile: 'rgb(255, 236, 179)',
  frame: 'rgb(240, 248, 255)',
  header: 'rgb(224, 224, 250)',
  footer: 'rgb(250, 235, 215)',
};

describe('theme: ::part through <conduit-link>', () => {
  function styleParts(): void {
    addPageStyle(`
      conduit-link::part(primary-button) { background-color: ${PART_COLOURS['primary-button']}; }
      conduit-link::part(heading) { color: ${PART_COLOURS.heading}; }
      conduit-link::part(tile) { background-color: ${PART_COLOURS.tile}; }
      conduit-link::part(frame) { background-color: ${PART_COLOURS.frame}; }
      conduit-link::part(header) { background-color: ${PART_COLOURS.header}; }
      conduit-link::part(footer) { background-color: ${PART_COLOURS.footer}; }
    `);
  }

  async function mountWithFooter(): Promise<{ flow: Flow; note: HTMLParagraphElement }> {
    const flow = await mountThemed();
    const note = document.createElement('p');
    note.slot = 'footer';
    note.textContent = 'Northwind reads your billing data under its privacy policy.';
    flow.element.append(note);
    await flow.settle();
    return { flow, note };
  }

  it('reaches the frame, header, footer, heading, tile and primary button on the picker', async () => {
    styleParts();
    const { flow, note } = await mountWithFooter();
    await chooseChargify(flow);
    expect(colourKey(backgroundBehind(await heading(flow))), 'the card (frame)').to.equal(colourKey(PART_COLOURS.frame));
    expect(colourKey(backgroundBehind(stepPosition(flow))), 'the header').to.equal(colourKey(PART_COLOURS.header));
    expect(colourKey(backgroundBehind(note)), 'the footer').to.equal(colourKey(PART_COLOURS.footer));
    expect(colourKey(style(await heading(flow)).color), 'the heading').to.equal(colourKey(PART_COLOURS.heading));
    expect(colourKey(backgroundBehind(await tile(flow))), 'the tile').to.equal(colourKey(PART_COLOURS.tile));
    expect(colourKey(style(await flow.button('Next')).backgroundColor), 'the primary button').to.equal(
      colourKey(PART_COLOURS['primary-button']),
    );
  });

  it('reaches the heading and primary button of every later step', async () => {
    styleParts();
    const flow = await mountThemed();
    const expectStyled = async (button: string) => {
      expect(colourKey(style(await heading(flow)).color), `heading on ${flow.step}`).to.equal(colourKey(PART_COLOURS.heading));
      expect(colourKey(style(await flow.button(button)).backgroundColor), `${button} on ${flow.step}`).to.equal(
        colourKey(PART_COLOURS['primary-button']),
      );
    };
    await chooseChargify(flow);
    await flow.click('Next');
    await flow.waitForStep('permissions');
    await expectStyled('Next');
    await flow.click('Next');
    await flow.waitForStep('credentials');
    await expectStyled('Continue');
    await flow.submitCredentials('acme', 'chg_demo_acme_admin');
    await flow.waitForStep('success');
    await expectStyled('Finish');
  });

  it('without the partner’s rules, none of those colours shows (so the checks above can fail)', async () => {
    const { flow, note } = await mountWithFooter();
    await chooseChargify(flow);
    const seen = [
      backgroundBehind(await heading(flow)),
      backgroundBehind(stepPosition(flow)),
      backgroundBehind(note),
      style(await heading(flow)).color,
      backgroundBehind(await tile(flow)),
      style(await flow.button('Next')).backgroundColor,
    ].map(colourKey);
    const partColours = Object.values(PART_COLOURS).map(colourKey);
    expect(seen.filter((colour) => partColours.includes(colour))).to.deep.equal([]);
  });
});

// ================================================================ slots

const LOGO_SRC = `data:image/svg+xml,${encodeURIComponent(
  "<svg xmlns='http://www.w3.org/2000/svg' width='120' height='40'><rect width='120' height='40' fill='#1e3a8a'/></svg>",
)}`;
const FOOTER_NOTE = 'By connecting, you agree to Northwind’s privacy policy.';

async function addLogo(flow: Flow): Promise<HTMLImageElement> {
  const logo = document.createElement('img');
  logo.slot = 'logo';
  logo.alt = 'Northwind';
  logo.src = LOGO_SRC;
  flow.element.append(logo);
  await logo.decode();
  await flow.settle();
  return logo;
}

async function addFooter(flow: Flow): Promise<HTMLParagraphElement> {
  const note = document.createElement('p');
  note.slot = 'footer';
  note.textContent = FOOTER_NOTE;
  flow.element.append(note);
  await flow.settle();
  return note;
}

function expectLogoInHeader(flow: Flow, logo: HTMLImageElement, container: Element): void {
  expect(isRendered(logo), 'the logo is shown').to.equal(true);
  expect(isInside(logo, container), `${describeBox(logo)} inside ${describeBox(container)}`).to.equal(true);
  const position = stepPosition(flow);
  const order = readingOrder(flow.element);
  expect(order.indexOf(logo), 'the logo is in the flow’s reading order').to.be.at.least(0);
  expect(order.indexOf(logo), 'the logo comes before the step position').to.be.below(order.indexOf(position));
  // On the header's row, beside the position.
  const a = logo.getBoundingClientRect();
  const b = position.getBoundingClientRect();
  expect(a.top < b.bottom && b.top < a.bottom, `${describeBox(logo)} on the row of ${describeBox(position)}`).to.equal(true);
}

async function expectFooterUnderStep(flow: Flow, note: HTMLElement, button: string): Promise<void> {
  expect(isRendered(note), `the footer note is shown on ${flow.step}`).to.equal(true);
  expect(isInside(note, flow.card), `${describeBox(note)} inside the card on ${flow.step}`).to.equal(true);
  const action = (await flow.button(button)).getBoundingClientRect();
  expect(note.getBoundingClientRect().top, `the note is under "${button}" on ${flow.step}`).to.be.at.least(action.bottom);
}

describe('theme: slots', () => {
  it('shows the partner’s logo in the header, before the step position', async () => {
    const flow = await mountThemed();
    const logo = await addLogo(flow);
    expectLogoInHeader(flow, logo, flow.card);
    expect(logo.getBoundingClientRect().height, 'the logo fits the header').to.be.at.most(
      parseFloat(style(stepPosition(flow)).fontSize) * 4,
    );
    await expect(flow.element).to.be.accessible();
  });

  it('shows the footer note under every step', async () => {
    const flow = await mountThemed();
    const note = await addFooter(flow);
    await expectFooterUnderStep(flow, note, 'Next');
    await chooseChargify(flow);
    await flow.click('Next');
    await flow.waitForStep('permissions');
    await expectFooterUnderStep(flow, note, 'Next');
    await flow.click('Next');
    await flow.waitForStep('credentials');
    await expectFooterUnderStep(flow, note, 'Continue');
    await expect(flow.element).to.be.accessible();
  });

  it('renders no footer box without a footer, and drops it when the note goes', async () => {
    // A partner's border on the footer box would show as a stray line if the box were drawn empty.
    addPageStyle('conduit-link::part(footer) { border-block-start: 1px solid rgb(200, 0, 0); padding-block: 8px; }');
    const flow = await mountThemed();
    const footer = flow.part('footer');
    expect(footer, 'the footer part exists').to.not.equal(null);
    expect(takesRoom(footer!), 'an empty footer box is drawn').to.equal(false);
    const note = await addFooter(flow);
    expect(takesRoom(footer!), 'the footer box shows with a note').to.equal(true);
    note.remove();
    await flow.settle();
    expect(takesRoom(footer!), 'the footer box stays after the note went').to.equal(false);
  });

  it('drops the footer box in the modal when the note was removed while it was closed', async () => {
    const flow = await mountThemed({ attributes: { mode: 'modal' } }, { noWait: true });
    const note = await addFooter(flow);
    await flow.open();
    expect(isRendered(note), 'the footer note is shown').to.equal(true);
    expect(takesRoom(flow.part('footer')!), 'the footer box is shown').to.equal(true);
    flow.element.close();
    await flow.settle();
    note.remove();
    await flow.open();
    const footer = flow.part('footer');
    expect(footer, 'the footer part exists').to.not.equal(null);
    expect(takesRoom(footer!), 'an empty footer box is drawn after reopening').to.equal(false);
  });

  it('shows a footer added while the modal was closed when it reopens', async () => {
    const flow = await mountThemed({ attributes: { mode: 'modal' } }, { noWait: true });
    await flow.open();
    expect(takesRoom(flow.part('footer')!), 'no footer box without a note').to.equal(false);
    flow.element.close();
    await flow.settle();
    const note = await addFooter(flow);
    await flow.open();
    expect(isRendered(note), 'the footer note is shown after reopening').to.equal(true);
  });

  it('shows the logo and the footer inside the modal dialog', async () => {
    const flow = await mountThemed({ attributes: { mode: 'modal' } }, { noWait: true });
    const logo = await addLogo(flow);
    const note = await addFooter(flow);
    expect(isRendered(logo), 'no logo before the modal opens').to.equal(false);
    expect(isRendered(note), 'no footer before the modal opens').to.equal(false);
    const dialog = await flow.open();
    expectLogoInHeader(flow, logo, dialog);
    expect(isRendered(note), 'the footer note is shown').to.equal(true);
    expect(isInside(note, dialog), `${describeBox(note)} inside ${describeBox(dialog)}`).to.equal(true);
    expect(note.getBoundingClientRect().top).to.be.at.least((await flow.button('Next')).getBoundingClientRect().bottom);
    await expect(flow.element).to.be.accessible();
  });
});
