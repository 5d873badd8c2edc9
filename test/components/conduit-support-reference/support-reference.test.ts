import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { ConduitSupportReference } from '../../../src/index.js';
import { describeFocus } from '../../a11y.js';
import { expectPoliteAnnouncement } from '../../flow-helpers.js';
import { readsLeftToRight, renderedRuns } from '../../bidi.js';
import { mountScreen, Screen } from '../../harness.js';
import { isolate, plain } from '../../wording.js';

const COPY = 'Copy support reference';
const COPIED = 'Support reference copied';

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
  it('copies the reference with the keyboard and says so, on the button and in a polite live region', async () => {
    const { element, screen } = await mountReference('corr-7f3a');
    expect(plain(screen.text)).to.include('Support reference: corr-7f3a');
    (await screen.button(COPY)).focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(async () => (await screen.has('button', COPIED)), 'the button never said it copied');
    expect((await screen.button(COPIED)).textContent?.trim()).to.equal('Copied');
    // Focus stays on the button, which a screen reader now names by what happened.
    expect(await describeFocus()).to.equal(`button "${COPIED}"`);
    await expectPoliteAnnouncement(element, COPIED);
    expect(await pasted()).to.equal('corr-7f3a');
  });

  it('offers Copy again for a new reference, as after a second failure', async () => {
    const { element, screen } = await mountReference('corr-first');
    (await screen.button(COPY)).focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(async () => (await screen.has('button', COPIED)), 'the button never said it copied');

    element.reference = 'corr-second';
    await screen.settle();
    expect((await screen.button(COPY)).textContent?.trim()).to.equal('Copy');
    expect(screen.text).to.not.include(COPIED);
  });

  it('shows a reference that starts with digits in its own order in Arabic, so it is read out right', async () => {
    const reference = '12345678-abcd-4ef0-9abc-def012345678';
    const holder = await fixture<HTMLDivElement>(html`<div lang="ar" dir="rtl"><conduit-support-reference reference=${reference}></conduit-support-reference></div>`);
    const screen = new Screen(holder.firstElementChild as HTMLElement);
    await waitUntil(() => plain(screen.text).includes('الرقم المرجعي للدعم'), 'the reference never spoke Arabic');
    await screen.settle();
    expect(readsLeftToRight(screen.root, reference), 'the reference is shown out of order').to.equal(true);
    expect(renderedRuns(screen.root).join(' ')).to.include(isolate(reference));
  });

  it('shows nothing without a reference', async () => {
    const { screen } = await mountReference('');
    expect(screen.text).to.equal('');
  });
});
