import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import type { Connection } from '../src/index.js';

interface Args {
  connection: Connection;
  partnerName: string;
  alreadyConnected: boolean;
}

const acme: Connection = {
  id: 'conn_0001',
  integrationKey: 'chargify',
  platformName: 'Chargify',
  sourceType: 'Commerce',
  status: 'Linked',
  created: '2026-11-26T09:30:00Z',
  connectionInfo: { subdomain: 'acme', region: 'US', siteId: 48213, siteName: 'Acme Inc', currency: 'USD', test: false },
};

const meta: Meta<Args> = {
  title: 'Steps/conduit-success',
  component: 'conduit-success',
  args: { connection: acme, partnerName: 'Northwind Capital', alreadyConnected: false },
  render: (args) => html`
    <conduit-success
      .connection=${args.connection}
      partner-name=${args.partnerName}
      ?already-connected=${args.alreadyConnected}
    ></conduit-success>
  `,
};
export default meta;

type Story = StoryObj<Args>;

export const Connected: Story = {};

export const AlreadyConnected: Story = { args: { alreadyConnected: true } };

export const EuropeanTestSite: Story = {
  args: {
    connection: {
      ...acme,
      connectionInfo: { subdomain: 'euro-shop', region: 'EU', siteId: 51877, siteName: 'Euro Shop GmbH', currency: 'EUR', test: true },
    },
  },
};
