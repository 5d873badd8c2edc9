import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { CORRELATION_ID } from './support.js';

interface Args {
  reference: string;
}

const meta: Meta<Args> = {
  title: 'Parts/conduit-support-reference',
  component: 'conduit-support-reference',
  args: { reference: CORRELATION_ID },
  render: (args) => html`<conduit-support-reference reference=${args.reference}></conduit-support-reference>`,
};
export default meta;

type Story = StoryObj<Args>;

/** Under every failure: the id the backend logged, with a Copy button. */
export const Default: Story = {};

/** No reference (the request never reached the backend): nothing is shown. */
export const Empty: Story = { args: { reference: '' } };
