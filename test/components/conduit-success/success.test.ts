import { expect, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { Connection, ConduitFinishEvent, ConduitSuccess } from '../../../src/index.js';
import { describeFocus, textOf } from '../../a11y.js';
import { mountScreen, recordEvents } from '../../harness.js';
import { renderedRuns } from '../../bidi.js';
import { isolate, plain } from '../../wording.js';

function connection(info: Connection['connectionInfo'] = {}, id = 'conn_8f2c'): Connection {
  return {
    id,
    integrationKey: 'chargify',
    platformName: 'Chargify',
    sourceType: 'Commerce',
    status: 'Linked',
    created: '2025-01-15T10:00:00.000Z',
    connectionInfo: { subdomain: 'acme', region: 'US', siteId: 42, siteName: 'Acme Inc', currency: 'USD', test: false, ...info },
  };
}

async function mountSuccess(value: Connection | null, options: { alreadyConnected?: boolean; partnerName?: string } = {}) {
  const { element, screen } = await mountScreen<ConduitSuccess>(
    html`<conduit-success
      .connection=${value}
      ?already-connected=${options.alreadyConnected ?? false}
      partner-name=${options.partnerName ?? 'Northwind Capital'}
    ></conduit-success>`,
  );
  const finishes = recordEvents<ConduitFinishEvent>(element.parentElement!, 'conduit-finish');
  return { element, screen, finishes };
}

describe('<conduit-success> standalone', () => {
  describe('what the user reads', () => {
    it('says "Chargify connected" and names the US site by name and address', async () => {
      const { element, screen } = await mountSuccess(connection());
      expect(textOf(await screen.get('heading'))).to.equal('Chargify connected');
      expect(element.headingText).to.equal('Chargify connected');
      expect(plain(screen.text)).to.include('Northwind Capital can now read data from this Chargify site.');
      // The partner's name is isolated, so that in Arabic a name ending in a full stop keeps it at its end.
      expect(renderedRuns(element)).to.include(`${isolate('Northwind Capital')} can now read data from this Chargify site.`);
      expect(screen.blocks).to.include('Acme Inc');
      expect(screen.blocks).to.include('acme.chargify.com');
      expect(screen.text).not.to.include('ebilling.maxio.com');
    });

    it('gives an EU site its ebilling.maxio.com address', async () => {
      const { screen } = await mountSuccess(connection({ subdomain: 'zeta', region: 'EU', siteName: 'Zeta GmbH' }));
      expect(screen.blocks).to.include('Zeta GmbH');
      expect(screen.blocks).to.include('zeta.ebilling.maxio.com');
      expect(screen.text).not.to.include('chargify.com');
    });

    it('shows a "Test site" badge for a test site, and none for a live one', async () => {
      const test = await mountSuccess(connection({ test: true }));
      expect(test.screen.blocks).to.include('Test site');

      const live = await mountSuccess(connection({ test: false }));
      expect(live.screen.text).not.to.include('Test site');
    });

    it('has its own heading and wording when the account was already connected', async () => {
      const { element, screen } = await mountSuccess(connection(), { alreadyConnected: true });
      expect(textOf(await screen.get('heading'))).to.equal('Chargify is already connected');
      expect(element.headingText).to.equal('Chargify is already connected');
      expect(plain(screen.text)).to.include("Northwind Capital already reads data from this Chargify site. There's nothing more to do.");
      expect(renderedRuns(element).join('\n')).to.include(`${isolate('Northwind Capital')} already reads`);
      expect(screen.text).not.to.include('Chargify connected');
      expect(screen.blocks).to.include('acme.chargify.com');
    });

    it('falls back to "This app" without a partner name', async () => {
      const { screen } = await mountSuccess(connection(), { partnerName: '' });
      expect(plain(screen.text)).to.include('This app can now read data from this Chargify site.');
    });
  });

  describe('Finish', () => {
    it('fires conduit-finish once with the connection id', async () => {
      const { screen, finishes } = await mountSuccess(connection({}, 'conn_7d1e'));
      expect(finishes).to.have.length(0);
      await screen.click('Finish');
      expect(finishes).to.have.length(1);
      expect(finishes[0]!.connectionId).to.equal('conn_7d1e');
      expect(finishes[0]!.bubbles).to.equal(true);
      expect(finishes[0]!.composed).to.equal(true);
    });

    it('fires conduit-finish from the already-connected variant too', async () => {
      const { screen, finishes } = await mountSuccess(connection({}, 'conn_old'), { alreadyConnected: true });
      await screen.click('Finish');
      expect(finishes.map((event) => event.connectionId)).to.deep.equal(['conn_old']);
    });

    it('can be finished from the keyboard', async () => {
      const { element, screen, finishes } = await mountSuccess(connection());
      element.focusHeading();
      await sendKeys({ press: 'Tab' });
      expect(await describeFocus()).to.equal('button "Finish"');
      await sendKeys({ press: 'Enter' });
      await screen.settle();
      expect(finishes.map((event) => event.connectionId)).to.deep.equal(['conn_8f2c']);
    });
  });

  describe('accessibility', () => {
    it('has no axe violations for a new test-site connection', async () => {
      const { element } = await mountSuccess(connection({ test: true }));
      await expect(element).to.be.accessible();
    });

    it('has no axe violations for the already-connected EU variant', async () => {
      const { element } = await mountSuccess(connection({ region: 'EU' }), { alreadyConnected: true });
      await expect(element).to.be.accessible();
    });
  });
});
