import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { catalogue, longCatalogue } from '../mocks/catalogue.js';
import type { Integration } from '../src/index.js';

interface Args {
  integrations: Integration[];
  selected: string;
}

const meta: Meta<Args> = {
  title: 'Steps/conduit-integration-picker',
  component: 'conduit-integration-picker',
  args: { integrations: catalogue, selected: '' },
  render: (args) => html`
    <conduit-integration-picker .integrations=${args.integrations} selected=${args.selected}></conduit-integration-picker>
  `,
};
export default meta;

type Story = StoryObj<Args>;

export const Default: Story = {};

export const Selected: Story = { args: { selected: 'chargify' } };

/** More than six integrations: a search box appears. */
export const WithSearch: Story = { args: { integrations: longCatalogue } };

export const Empty: Story = { args: { integrations: [] } };
