import { expect, waitUntil } from '@open-wc/testing';
import type { ConduitConsentEvent } from '../src/index.js';
import { Flow } from './harness.js';

describe('<conduit-link> languages', () => {
  it('renders in the locale attribute and switches at run time without losing progress', async () => {
    const flow = await Flow.mount({ attributes: { locale: 'de' } });
    await waitUntil(() => flow.heading === 'Wählen Sie Ihre Abrechnungsplattform', `heading is "${flow.heading}"`);
    expect(flow.text).to.include('Schritt 1 von 4');

    await flow.choose('Chargify');
    await flow.click('Weiter');
    await flow.waitForStep('permissions');
    await flow.click('Weiter');
    await flow.waitForStep('credentials');
    expect(flow.heading).to.equal('Ihre Chargify-Zugangsdaten');
    await flow.fill('Subdomain der Site', 'acme');

    flow.element.locale = 'en-GB';
    await waitUntil(() => flow.heading === 'Your Chargify credentials', `heading is "${flow.heading}"`);
    expect(flow.field('Site subdomain').value, 'what the user typed survives the switch').to.equal('acme');
    expect(flow.step).to.equal('credentials');
    const consent = flow.eventsOf<ConduitConsentEvent>('conduit-consent')[0]!;
    expect(consent.locale).to.equal('de');
    expect(consent.text).to.include('Mit Chargify verbinden');
  });

  it('follows the nearest lang attribute, falling back to English for languages it lacks', async () => {
    document.documentElement.lang = 'de-AT';
    try {
      const german = await Flow.mount();
      await waitUntil(() => german.heading === 'Wählen Sie Ihre Abrechnungsplattform', `heading is "${german.heading}"`);
    } finally {
      document.documentElement.lang = 'en';
    }
    const unknown = await Flow.mount({ attributes: { locale: 'tlh' } });
    await waitUntil(() => unknown.heading === 'Choose your billing platform', `heading is "${unknown.heading}"`);
  });
});
