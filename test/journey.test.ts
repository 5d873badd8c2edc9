import { expect } from '@open-wc/testing';
import type { ConduitConnectionEvent, ConduitConsentEvent, ConduitStepChangeEvent } from '../src/index.js';
import { normalise } from './a11y.js';
import { backend, Flow } from './harness.js';

describe('the Chargify journey', () => {
  it('connects the demo site from picker to Finish', async () => {
    const flow = await Flow.mount();
    expect(flow.step).to.equal('picker');
    expect(await flow.heading()).to.equal('Choose your billing platform');

    await flow.choose('Chargify');
    await flow.click('Next');
    await flow.waitForStep('permissions');
    expect(await flow.heading()).to.equal('Connect to Chargify');
    expect(flow.text).to.include('Northwind Capital will be able to read this data from your Chargify account');

    await flow.click('Next');
    await flow.waitForStep('credentials');
    expect(await flow.heading()).to.equal('Your Chargify credentials');

    await flow.submitCredentials('acme', 'chg_demo_acme_admin');
    await flow.waitForStep('success');
    expect(await flow.heading()).to.equal('Chargify connected');
    expect(flow.text).to.include('Acme Inc');
    expect(flow.text).to.include('acme.chargify.com');

    await flow.click('Finish');
    const types = flow.events.map((event) => event.type);
    expect(types).to.deep.equal([
      'conduit-ready',
      'conduit-step-change',
      'conduit-integration-select',
      'conduit-step-change',
      'conduit-consent',
      'conduit-step-change',
      'conduit-connection-started',
      'conduit-connection',
      'conduit-step-change',
      'conduit-finish',
    ]);
    const steps = flow.eventsOf<ConduitStepChangeEvent>('conduit-step-change').map((e) => `${e.previousStep}>${e.step}`);
    expect(steps).to.deep.equal(['loading>picker', 'picker>permissions', 'permissions>credentials', 'credentials>success']);
    const consent = flow.eventsOf<ConduitConsentEvent>('conduit-consent')[0]!;
    expect(normalise(consent.text)).to.include('Northwind Capital will be able to read');
    const connection = flow.eventsOf<ConduitConnectionEvent>('conduit-connection')[0]!;
    expect(connection.connectionInfo).to.deep.include({ subdomain: 'acme', siteName: 'Acme Inc', region: 'US' });
    expect(backend.requestsTo('/authorization', 'PUT')).to.have.length(1);
  });
});
