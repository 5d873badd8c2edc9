import type { StorybookConfig } from '@storybook/web-components-vite';

const config: StorybookConfig = {
  framework: { name: '@storybook/web-components-vite', options: {} },
  stories: ['../stories/**/*.mdx', '../stories/**/*.stories.ts'],
  addons: ['@storybook/addon-docs', 'msw-storybook-addon'],
  // Serves MSW's service worker at the root, where it must live.
  staticDirs: ['../public'],
  core: { disableTelemetry: true },
  viteFinal: async (config) => {
    // Without this, Storybook's dev server pre-bundles a second copy of Lit.
    config.optimizeDeps = { ...config.optimizeDeps, include: [...(config.optimizeDeps?.include ?? []), 'lit/directive-helpers.js'] };
    return config;
  },
};

export default config;
