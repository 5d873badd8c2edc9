// A partner's Vue 3 app, written the way the README shows: the elements
// registered by `conduit-link/define.js`, the session token fetched from the
// partner's own server once the app is mounted (`?token=late`, what most apps
// do) or before it mounts (`?token=early`).
import 'conduit-link/define.js';
import { createApp } from 'vue';
import App from './App.vue';
import { fetchSessionToken } from './partner-server.js';

const root = document.getElementById('app')!;
const { backendUrl = '', companyId = '' } = root.dataset;
const params = new URLSearchParams(location.search);
const mode = params.get('mode') === 'modal' ? 'modal' : 'inline';
const initialToken = params.get('token') === 'early' ? await fetchSessionToken() : undefined;

createApp(App, { backendUrl, companyId, mode, initialToken }).mount(root);
