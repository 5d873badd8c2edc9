import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { waitFor } from 'storybook/test';
import type { ConduitErrorCode, SubmitCredentials } from '../src/index.js';
import { enterCredentials, failWith } from './support.js';

interface Args {
  submitCredentials: SubmitCredentials;
}

const never: SubmitCredentials = () => new Promise(() => {});

const submit = (canvas: HTMLElement, subdomain: string, apiKey: string) =>
  enterCredentials(canvas.querySelector('conduit-credentials')!, subdomain, apiKey);

const meta: Meta<Args> = {
  title: 'Steps/conduit-credentials',
  component: 'conduit-credentials',
  args: { submitCredentials: async () => {} },
  // Most stories fill the form in a play function, which a docs page runs only in a story's own frame.
  parameters: { docs: { story: { inline: false, height: '720px' } } },
  render: (args) => html`<conduit-credentials .submitCredentials=${args.submitCredentials}></conduit-credentials>`,
};
export default meta;

type Story = StoryObj<Args>;

const submitDemo: Story['play'] = ({ canvasElement }) => submit(canvasElement, 'acme', 'chg_demo_acme_admin');

export const Idle: Story = {};

/** Continue pressed with nothing filled in. */
export const Invalid: Story = { play: ({ canvasElement }) => submit(canvasElement, '', '') };

export const MalformedSubdomain: Story = { play: ({ canvasElement }) => submit(canvasElement, 'acme_inc', 'chg_x') };

/** Waiting for the backend. */
export const Busy: Story = { args: { submitCredentials: never }, play: submitDemo };

export const SiteInOtherRegion: Story = {
  args: { submitCredentials: failWith('site_not_found', { regionHint: 'EU' }) },
  play: ({ canvasElement }) => submit(canvasElement, 'euro-shop', 'chg_demo_euro_admin'),
};

/** The key's numeric id pasted instead of the key: caught before anything is sent. */
export const KeyIdPasted: Story = { play: ({ canvasElement }) => submit(canvasElement, 'acme', '418263') };

/** Chargify asked us to wait: a countdown holds Continue back. */
export const RateLimitedWithCountdown: Story = {
  args: { submitCredentials: failWith('rate_limited', { retryAfter: 180 }) },
  play: ({ canvasElement }) => submit(canvasElement, 'busy', 'chg_demo_acme_admin'),
};

/** Chargify still checking after 5 s: the step says it is taking longer than usual (the story waits those 5 s). */
export const SlowChargify: Story = {
  args: { submitCredentials: never },
  play: async ({ canvasElement }) => {
    await submit(canvasElement, 'acme', 'chg_demo_acme_admin');
    const step = canvasElement.querySelector('conduit-credentials')!;
    // In any language: the status the step announces is shown once Chargify is slow (it is only heard before).
    const shown = () => (step.shadowRoot?.querySelector('[role=status]')?.getBoundingClientRect().height ?? 0) > 1;
    await waitFor(
      () => {
        if (!shown()) throw new Error('the slow message never appeared');
      },
      { timeout: 8_000 },
    );
  },
};

/** Chargify clearing the site's data (10010): temporary, so a countdown, then Continue again. */
export const DataClearing: Story = {
  args: { submitCredentials: failWith('upstream_unavailable', { detailedErrorCode: 10010, retryAfter: 120 }) },
  play: submitDemo,
};

/** The backend's own limit on key attempts (not Chargify's): the countdown holds Continue back. */
export const TooManyAttempts: Story = {
  args: { submitCredentials: failWith('too_many_attempts', { retryAfter: 300 }) },
  play: submitDemo,
};

// Each error story submits the demo site and key to a callback that fails with
// its code. `play` is written in each export, where Storybook looks for it to tag
// the story as interactive.
const failing = (code: ConduitErrorCode): Story['args'] => ({ submitCredentials: failWith(code) });

export const InvalidCredentials: Story = { args: failing('invalid_credentials'), play: submitDemo };
export const SiteNotFound: Story = { args: failing('site_not_found'), play: submitDemo };
/** Chargify refused access (an unexpected 403): no cause is made up; the support reference is what helps. */
export const AccessRefused: Story = { args: failing('access_refused'), play: submitDemo };
export const AccountBlocked: Story = { args: failing('account_blocked'), play: submitDemo };
export const RateLimited: Story = { args: failing('rate_limited'), play: submitDemo };
export const UpstreamUnavailable: Story = { args: failing('upstream_unavailable'), play: submitDemo };
export const InvalidInput: Story = { args: failing('invalid_input'), play: submitDemo };
export const Network: Story = { args: failing('network'), play: submitDemo };
export const Timeout: Story = { args: failing('timeout'), play: submitDemo };
export const Offline: Story = { args: failing('offline'), play: submitDemo };
export const BadResponse: Story = { args: failing('bad_response'), play: submitDemo };
export const ServerError: Story = { args: failing('server_error'), play: submitDemo };
