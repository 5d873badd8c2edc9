import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import type { ConduitLinkElement } from '../src/index.js';
import { COLLEAGUE_TOKEN } from '../mocks/backend.js';
import { CATALOGUE } from '../src/localization/localization.js';
import { backend, walkFlow, type FlowEnd } from './support.js';

interface Args {
  partnerName: string;
  integration: string;
  sessionToken: string;
  handoffUrl: string;
}

const meta: Meta<Args> = {
  title: 'Flow/conduit-link',
  component: 'conduit-link',
  args: { partnerName: 'Northwind Capital', integration: '', sessionToken: 'story-token', handoffUrl: 'https://partner.example/connect/colleague' },
  // Each story has its own backend answers (and some a play function): on a docs
  // page, where stories share one mock service worker, each gets a frame of its own.
  parameters: { docs: { story: { inline: false, height: '520px' } } },
  render: (args, { globals }) => html`
    <conduit-link
      theme=${globals.theme}
      backend-url="/api"
      company-id="acme-inc"
      session-token=${args.sessionToken}
      partner-name=${args.partnerName}
      integration=${args.integration}
      handoff-url=${args.handoffUrl}
    ></conduit-link>
  `,
};
export default meta;

type Story = StoryObj<Args>;

/** The whole journey against the mock backend: site `acme`, key `chg_demo_acme_admin`. */
export const Flow: Story = { parameters: backend('demo') };

/** Straight to the permissions step, the tallest. */
export const Preselected: Story = {
  args: { integration: 'chargify' },
  parameters: { ...backend('demo'), docs: { story: { height: '880px' } } },
};

export const Loading: Story = { parameters: { ...backend('slow') } };

export const EmptyCatalogue: Story = { parameters: backend('empty') };

export const AlreadyConnected: Story = { parameters: backend('connected') };

/** Opening verifies the linked connection; Chargify no longer accepts its key. */
export const Deauthorized: Story = { parameters: backend('deauthorized') };

/** Verify fails for now (503): the connected screen with the last known status, not an error. */
export const VerifyUnavailable: Story = { parameters: backend('verify-unavailable') };

/** Replace API key: the credentials step with the site fixed (try key `chg_demo_acme_rotated`, or `chg_demo_euro_admin` for site_mismatch). */
export const ReplaceKey: Story = {
  parameters: backend('connected'),
  play: async ({ canvasElement }) => pressIn(canvasElement, 'conduit.lifecycle.replace', 'Replace API key'),
};

/** Disconnect Chargify: the confirmation that names the site. */
export const DisconnectConfirmation: Story = {
  parameters: backend('connected'),
  play: async ({ canvasElement }) => pressIn(canvasElement, 'conduit.lifecycle.disconnect', 'Disconnect Chargify'),
};

/** The credentials step offers to send itself to a colleague; pressed: the link, Copy and email. */
export const HandoffLink: Story = {
  args: { integration: 'chargify' },
  parameters: backend('demo'),
  play: async ({ canvasElement }) => {
    await pressIn(canvasElement, 'conduit.common.next', 'Next');
    await pressIn(canvasElement, 'conduit.credentials.handoffOffer', "I don't have the admin key — send this step to a colleague");
  },
};

/** After "I've sent it": waiting for the colleague (the mock's connection never links here). */
export const HandoffWaiting: Story = {
  args: { integration: 'chargify' },
  parameters: backend('demo'),
  play: async ({ canvasElement }) => {
    await pressIn(canvasElement, 'conduit.common.next', 'Next');
    await pressIn(canvasElement, 'conduit.credentials.handoffOffer', "I don't have the admin key — send this step to a colleague");
    await pressIn(canvasElement, 'conduit.lifecycle.sent', "I've sent it");
  },
};

/** The colleague's page: `handoff-token` instead of company id and session token. */
export const Colleague: Story = {
  parameters: backend('colleague'),
  render: (args, { globals }) => html`
    <conduit-link theme=${globals.theme} backend-url="/api" handoff-token=${COLLEAGUE_TOKEN} partner-name=${args.partnerName}></conduit-link>
  `,
};

/** The colleague's link was used, has expired or was withdrawn. */
export const ColleagueLinkUsed: Story = {
  parameters: backend('colleague-used'),
  render: Colleague.render,
};

export const SessionExpired: Story = { args: { sessionToken: 'expired-token' }, parameters: backend('demo') };

export const BackendUnreachable: Story = { parameters: backend('unreachable') };

// The play function of a story that walks the flow to `end`. Such stories are
// tagged `walks-flow`, by which the e2e test picks them to walk in every language,
// and write `play` in their own export, where Storybook looks for it to tag the
// story as interactive.
const walkTo =
  (end: FlowEnd): Story['play'] =>
  ({ canvasElement }) =>
    walkFlow(canvasElement, end);

/** The whole journey walked to the end: the success step. */
export const Connected: Story = {
  tags: ['walks-flow'],
  parameters: backend('demo'),
  play: walkTo('conduit-success'),
};

/** The backend no longer knows the company when the key is sent: the flow stops with a support reference. */
export const CompanyNotFound: Story = {
  tags: ['walks-flow'],
  parameters: backend('error:not_found'),
  play: walkTo('conduit-support-reference'),
};

/** Modal mode: the partner's button calls `open()` (pressed here; close it and press it again). */
export const Modal: Story = {
  parameters: { ...backend('demo'), docs: { story: { height: '640px' } } },
  play: ({ canvasElement }) => canvasElement.querySelector('button')!.click(),
  render: (args, { globals }) => html`
    <button type="button" @click=${(event: Event) => ((event.target as Element).nextElementSibling as ConduitLinkElement).open()}>
      Connect your billing system
    </button>
    <conduit-link
      mode="modal"
      theme=${globals.theme}
      backend-url="/api"
      company-id="acme-inc"
      session-token=${args.sessionToken}
      partner-name=${args.partnerName}
    ></conduit-link>
  `,
};

/**
 * Presses the button the flow shows for message `id`, once it is shown (the flow
 * renders in shadow roots), named in the flow's own language: the story plays in
 * every toolbar language.
 */
async function pressIn(canvas: HTMLElement, id: string, english: string): Promise<void> {
  const deadline = Date.now() + 8000;
  for (;;) {
    const flow = canvas.querySelector('conduit-link');
    const button = flow && findButton(canvas, flow[CATALOGUE].translate(english, { id }));
    if (button) {
      button.click();
      await new Promise((resolve) => setTimeout(resolve, 300));
      return;
    }
    if (Date.now() > deadline) throw new Error(`No button "${english}" (${id})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function findButton(root: Element | ShadowRoot, name: string): HTMLButtonElement | null {
  for (const element of root.querySelectorAll('*')) {
    if (element instanceof HTMLButtonElement && element.textContent?.trim() === name) return element;
    if (element.shadowRoot) {
      const found = findButton(element.shadowRoot, name);
      if (found) return found;
    }
  }
  return null;
}
