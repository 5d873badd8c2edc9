import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import type { ConduitErrorCode, SubmitCredentials } from '../src/index.js';
import { failWith } from './support.js';

interface Args {
  submitCredentials: SubmitCredentials;
}

const never: SubmitCredentials = () => new Promise(() => {});

// Fills the form and presses Continue, as a user would.
async function submit(canvas: HTMLElement, subdomain: string, apiKey: string): Promise<void> {
  const step = canvas.querySelector('conduit-credentials')!;
  await step.updateComplete;
  const root = step.shadowRoot!;
  root.querySelector<HTMLInputElement>('#subdomain')!.value = subdomain;
  root.querySelector<HTMLInputElement>('#api-key')!.value = apiKey;
  root.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
}

const meta: Meta<Args> = {
  title: 'Steps/conduit-credentials',
  component: 'conduit-credentials',
  args: { submitCredentials: async () => {} },
  render: (args) => html`<conduit-credentials .submitCredentials=${args.submitCredentials}></conduit-credentials>`,
};
export default meta;

type Story = StoryObj<Args>;

export const Idle: Story = {};

/** Continue pressed with nothing filled in. */
export const Invalid: Story = { play: ({ canvasElement }) => submit(canvasElement, '', '') };

export const MalformedSubdomain: Story = { play: ({ canvasElement }) => submit(canvasElement, 'acme_inc', 'chg_x') };

/** Waiting for the backend. */
export const Busy: Story = {
  args: { submitCredentials: never },
  play: ({ canvasElement }) => submit(canvasElement, 'acme', 'chg_demo_acme_admin'),
};

export const SiteInOtherRegion: Story = {
  args: { submitCredentials: failWith('site_not_found', { regionHint: 'EU' }) },
  play: ({ canvasElement }) => submit(canvasElement, 'euro-shop', 'chg_demo_euro_admin'),
};

/** The key's numeric id pasted instead of the key: caught before anything is sent. */
export const KeyIdPasted: Story = { play: ({ canvasElement }) => submit(canvasElement, 'acme', '418263') };

/** Chargify asked us to wait: a countdown holds Continue back. */
export const RateLimitedWithCountdown: Story = {
  args: { submitCredentials: failWith('rate_limited', { retryAfter: 90 }) },
  play: ({ canvasElement }) => submit(canvasElement, 'busy', 'chg_demo_acme_admin'),
};

function errorStory(code: ConduitErrorCode): Story {
  return {
    args: { submitCredentials: failWith(code) },
    play: ({ canvasElement }) => submit(canvasElement, 'acme', 'chg_demo_acme_admin'),
  };
}

export const InvalidCredentials = errorStory('invalid_credentials');
export const SiteNotFound = errorStory('site_not_found');
export const InsufficientPermissions = errorStory('insufficient_permissions');
export const AccountBlocked = errorStory('account_blocked');
export const SiteMismatch = errorStory('site_mismatch');
export const RateLimited = errorStory('rate_limited');
export const UpstreamUnavailable = errorStory('upstream_unavailable');
export const InvalidInput = errorStory('invalid_input');
export const Network = errorStory('network');
export const Timeout = errorStory('timeout');
export const Offline = errorStory('offline');
export const BadResponse = errorStory('bad_response');
export const ServerError = errorStory('server_error');
