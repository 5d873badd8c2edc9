import type { Preview } from '@storybook/web-components-vite';
import { mswLoader } from 'msw-storybook-addon/csf3';
import '../src/define.js';

const preview: Preview = {
  // Starts MSW; each story's `parameters.msw` says how the backend behaves.
  loaders: [mswLoader()],
  parameters: {
    layout: 'padded',
    controls: { expanded: true },
  },
};

export default preview;
