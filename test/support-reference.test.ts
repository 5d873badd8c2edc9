import { expect, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { ConduitSupportReference } from '../src/index.js';
import { mountScreen } from './harness.js';

const COPY = 'Copy support reference';

function mountReference(reference: string) {
  return mountScreen<ConduitSupportReference>(html`<conduit-support-reference reference=${reference}></conduit-support-reference>`);
}

// What the clipboard holds, read the way a user would: pasting into a field.
async function pasted(): Promise<string> {
  const scratch = document.createElement('textarea');
  document.body.append(scratch);
  scratch.focus();
  await sendKeys({ press: 'Control+v' });
  const value = scratch.value;
  scratch.remove();
  return value;
}

describe('<conduit-support-reference>', () => {
  it('copies the reference with the keyboard and says so', async () => {
    const { screen } = await mountReference('corr-7f3a');
    expect(screen.text).to.include('Support reference: corr-7f3a');
    (await screen.button(COPY)).focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(async () => (await screen.button(COPY)).textContent?.trim() === 'Copied', 'the button never said Copied');
    expect(screen.text, 'announced').to.include('Support reference copied');
    expect(await pasted()).to.equal('corr-7f3a');
  });

  it('offers Copy again for a new reference, as after a second failure', async () => {
    const { element, screen } = await mountReference('corr-first');
    (await screen.button(COPY)).focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(async () => (await screen.button(COPY)).textContent?.trim() === 'Copied', 'the button never said Copied');

    element.reference = 'corr-second';
    await screen.settle();
    expect((await screen.button(COPY)).textContent?.trim()).to.equal('Copy');
    expect(screen.text).to.not.include('Support reference copied');
  });

  it('shows nothing without a reference', async () => {
    const { screen } = await mountReference('');
    expect(screen.text).to.equal('');
  });
});
