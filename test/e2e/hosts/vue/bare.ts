// The same app without the flow: what the page costs before the partner adds it.
import { createApp, h } from 'vue';

createApp({
  render: () => h('main', [h('h1', 'Northwind Capital'), h('button', { type: 'button' }, 'Connect your billing system'), h('p', { id: 'host-status' }, 'Not connected')]),
}).mount('#app');
