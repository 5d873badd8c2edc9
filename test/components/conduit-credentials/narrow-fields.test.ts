// The credentials step in a 320 px box, in every language: each field shows at
// least twelve characters (the European host name beside the subdomain and the
// "Show key" button beside the key take what is left), and no button label
// wraps, the long German "Connecting…" included.
import { expect, waitUntil } from '@open-wc/testing';
import { deepElements, isRendered, normalise } from '../../a11y.js';
import { backend, Flow } from '../../harness.js';
import { plain, sayIn, TARGET_LOCALES } from '../../wording.js';

const MIN_CHARACTERS = 12;

/** How many characters of the field's own font its text box shows (as wide as "0"s, the `ch` unit's glyph). */
function visibleCharacters(input: HTMLInputElement): number {
  const style = getComputedStyle(input);
  const context = document.createElement('canvas').getContext('2d')!;
  context.font = style.font;
  const box = input.clientWidth - parseFloat(style.paddingInlineStart) - parseFloat(style.paddingInlineEnd);
  return box / context.measureText('0').width;
}

/** The lines a button's label takes: its words' boxes at different heights (a spinner beside them is no line). */
function labelLines(button: HTMLElement): number {
  const walker = document.createTreeWalker(button, NodeFilter.SHOW_TEXT);
  const tops = new Set<number>();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const rect of range.getClientRects()) if (rect.width > 0) tops.add(Math.round(rect.top));
  }
  return tops.size;
}

function stepRoot(flow: Flow): ShadowRoot {
  const step = flow.element.shadowRoot!.querySelector('conduit-credentials');
  if (!step?.shadowRoot) throw new Error(`Not on the credentials step: ${flow.text}`);
  return step.shadowRoot;
}

function buttons(flow: Flow): HTMLButtonElement[] {
  return deepElements(flow.element).filter((element): element is HTMLButtonElement => element instanceof HTMLButtonElement && isRendered(element));
}

function expectNoWrappedLabel(flow: Flow, state: string): void {
  const wrapped = buttons(flow)
    .filter((button) => labelLines(button) > 1)
    .map((button) => `"${plain(normalise(button.textContent ?? ''))}" (${button.getBoundingClientRect().width.toFixed(0)} px)`);
  expect(wrapped.join(', '), `${state}: labels that wrap`).to.equal('');
}

for (const locale of ['en', ...TARGET_LOCALES] as const) {
  describe(`<conduit-link> credentials in a 320 px box, ${locale}`, () => {
    it(`shows at least ${MIN_CHARACTERS} characters in each field and wraps no button label, idle and while connecting`, async () => {
      const say = sayIn(locale);
      const flow = await Flow.mount({ attributes: { locale, integration: 'chargify' } });
      flow.element.parentElement!.style.width = '320px';
      await flow.click(say('conduit.common.next'));
      await flow.waitForStep('credentials');
      await flow.settle();
      // The European host name is the longer suffix.
      stepRoot(flow).querySelector<HTMLInputElement>('input[value="EU"]')!.click();
      await flow.settle();

      for (const id of ['subdomain', 'api-key']) {
        const input = stepRoot(flow).querySelector<HTMLInputElement>(`#${id}`)!;
        expect(visibleCharacters(input), `#${id} shows this many characters`).to.be.at.least(MIN_CHARACTERS);
      }
      expectNoWrappedLabel(flow, 'idle');

      // Chargify slow to answer: the button says it is connecting for a while.
      backend.scenario = 'slow';
      await flow.fill(say('conduit.credentials.subdomainLabel'), 'euro-shop');
      await flow.fill(say('conduit.credentials.keyLabel'), 'chg_demo_euro_admin');
      await flow.click(say('conduit.credentials.submit'));
      const connecting = plain(say('conduit.credentials.busy'));
      await waitUntil(() => plain(flow.text).includes(connecting), `"${connecting}" never showed: ${flow.text}`);
      await flow.settle();
      expectNoWrappedLabel(flow, 'connecting');
    });
  });
}
