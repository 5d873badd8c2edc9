// Landmarks, as a screen reader's landmark list shows them: the flow sits in a
// partner's page, whose banner is the partner's own, so the flow adds none; and
// no landmark it exposes is empty.
import { expect } from '@open-wc/testing';
import { accessibilityTree, textOf } from './a11y.js';
import { Flow } from './harness.js';

const LANDMARKS = new Set(['banner', 'complementary', 'contentinfo', 'main', 'navigation', 'region', 'search', 'form']);

/** Each landmark below the flow, as `role: what it holds`. */
async function landmarks(flow: Flow, modal: boolean): Promise<string[]> {
  const root = modal ? await flow.dialog() : flow.element;
  const nodes = await accessibilityTree(root);
  return nodes.filter((node) => LANDMARKS.has(node.role)).map((node) => `${node.role}: ${textOf(node.element)}`);
}

async function toSuccess(flow: Flow): Promise<void> {
  await flow.toCredentials();
  await flow.submitCredentials('acme', 'chg_demo_acme_admin');
  await flow.waitForStep('success');
}

describe('<conduit-link> landmarks', () => {
  for (const mode of ['inline', 'modal'] as const) {
    it(`${mode}: no banner, and no landmark without content, from the picker to the success step`, async () => {
      const flow = await Flow.mount({ attributes: { mode }, noWait: mode === 'modal' });
      if (mode === 'modal') await flow.open('picker');
      const seen: string[] = [];
      seen.push(...(await landmarks(flow, mode === 'modal')));
      await toSuccess(flow);
      expect(await flow.heading()).to.equal('Chargify connected');
      seen.push(...(await landmarks(flow, mode === 'modal')));
      expect(seen.filter((landmark) => landmark.startsWith('banner')), 'a banner inside the partner’s page').to.deep.equal([]);
      expect(seen.filter((landmark) => /^\w+: $/.test(landmark)), 'an empty landmark').to.deep.equal([]);
    });
  }
});
