import { expect } from '@open-wc/testing';
import { DEMO_KEYS } from '../../../mocks/chargify.js';
import { expectAccessible, VARIANTS } from '../../axe-variants.js';
import { backend, Flow } from '../../harness.js';

// The new states of issue 17 under axe, as test/flow-a11y.test.ts checks the others:
// reached in English and light, switched in place to the variant, checked, switched back.

const HANDOFF_URL = 'https://partner.example/colleague';
const OFFER = "I don't have the admin key — send this step to a colleague";

async function handoff(): Promise<Flow> {
  const flow = await Flow.mount({ attributes: { 'handoff-url': HANDOFF_URL } });
  await flow.toCredentials();
  await flow.click(OFFER);
  await flow.waitForStep('handoff');
  return flow;
}

for (const variant of VARIANTS) {
  describe(`lifecycle accessibility: axe in every new state, ${variant.name}`, () => {
    it('connected (manage)', async () => {
      const flow = await Flow.mount({ scenario: 'connected' });
      expect(flow.step).to.equal('connected');
      await expectAccessible(flow, variant);
    });

    it('deauthorized', async () => {
      const flow = await Flow.mount({ scenario: 'deauthorized' });
      expect(flow.step).to.equal('deauthorized');
      await expectAccessible(flow, variant);
    });

    it('disconnect confirmation', async () => {
      const flow = await Flow.mount({ scenario: 'connected' });
      await flow.click('Disconnect Chargify');
      await flow.waitForStep('disconnect');
      await expectAccessible(flow, variant);
    });

    it('credentials, replacing a key (site fixed)', async () => {
      const flow = await Flow.mount({ scenario: 'connected' });
      await flow.click('Replace API key');
      await flow.waitForStep('credentials');
      await expectAccessible(flow, variant);
    });

    it('credentials with the hand-off offer', async () => {
      const flow = await Flow.mount({ attributes: { 'handoff-url': HANDOFF_URL } });
      await flow.toCredentials();
      await expectAccessible(flow, variant);
    });

    it('hand-off link', async () => {
      const flow = await handoff();
      await expectAccessible(flow, variant);
    });

    it('hand-off waiting', async () => {
      const flow = await handoff();
      await flow.click("I've sent it");
      await flow.waitForStep('handoff-waiting');
      await expectAccessible(flow, variant);
    });

    it("colleague's welcome", async () => {
      await handoff();
      const flow = await Flow.mount({
        keepBackend: true,
        attributes: { 'handoff-token': backend.lastHandoff!.token, 'company-id': '', 'session-token': '' },
      });
      expect(flow.step).to.equal('handoff-welcome');
      await expectAccessible(flow, variant);
    });

    it("colleague's link no longer works", async () => {
      await handoff();
      backend.lastHandoff!.used = true;
      const flow = await Flow.mount({
        keepBackend: true,
        attributes: { 'handoff-token': backend.lastHandoff!.token, 'company-id': '', 'session-token': '' },
      });
      expect(flow.step).to.equal('handoff-invalid');
      await expectAccessible(flow, variant);
    });

    it('success after a replaced key', async () => {
      const flow = await Flow.mount({ scenario: 'deauthorized' });
      await flow.click('Enter a new key');
      await flow.waitForStep('credentials');
      await flow.fill('API key', DEMO_KEYS.acmeRotated);
      await flow.click('Continue');
      await flow.waitForStep('success');
      await expectAccessible(flow, variant);
    });
  });
}
