import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import type { ConduitLinkElement } from '../src/index.js';
import { backend, walkFlow, type FlowEnd } from './support.js';

interface Args {
  partnerName: string;
  integration: string;
  sessionToken: string;
}

const meta: Meta<Args> = {
  title: 'Flow/conduit-link',
  component: 'conduit-link',
  args: { partnerName: 'Northwind Capital', integration: '', sessionToken: 'story-token' },
  render: (args, { globals }) => html`
    <conduit-link
      theme=${globals.theme}
      backend-url="/api"
      company-id="acme-inc"
      session-token=${args.sessionToken}
      partner-name=${args.partnerName}
      integration=${args.integration}
    ></conduit-link>
  `,
};
export default meta;

type Story = StoryObj<Args>;

/** The whole journey against the mock backend: site `acme`, key `chg_demo_acme_admin`. */
export const Flow: Story = { parameters: backend('demo') };

export const Preselected: Story = { args: { integration: 'chargify' }, parameters: backend('demo') };

export const Loading: Story = { parameters: { ...backend('slow') } };

export const EmptyCatalogue: Story = { parameters: backend('empty') };

export const AlreadyConnected: Story = { parameters: backend('connected') };

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
  parameters: backend('demo'),
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
