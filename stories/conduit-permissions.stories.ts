import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';

interface Args {
  partnerName: string;
}

const meta: Meta<Args> = {
  title: 'Steps/conduit-permissions',
  component: 'conduit-permissions',
  args: { partnerName: 'Northwind Capital' },
  render: (args) => html`<conduit-permissions partner-name=${args.partnerName}></conduit-permissions>`,
};
export default meta;

type Story = StoryObj<Args>;

export const Default: Story = {};

export const WithoutPartnerName: Story = { args: { partnerName: '' } };
