// `npm start`: the reference backend (SQLite, simulated Chargify) and the
// demo page that talks to it, together; Ctrl-C stops both.
import { spawn } from 'node:child_process';

const backendPort = process.env.PORT ?? '8787';
const backendUrl = `http://localhost:${backendPort}`;
const children = [];

function run(command, args, env) {
  const child = spawn(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  children.push(child);
  child.on('exit', (code) => {
    for (const other of children) if (other !== child) other.kill('SIGTERM');
    process.exit(code ?? 1);
  });
  return child;
}

async function waitForBackend() {
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      if ((await fetch(`${backendUrl}/health`)).ok) return;
    } catch {
      // Not up yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`The backend did not start on ${backendUrl}.`);
}

run('node', ['--import', 'tsx', 'server/main.ts'], { PORT: backendPort, CHARGIFY_MODE: process.env.CHARGIFY_MODE ?? 'simulated' });
await waitForBackend();
run('npx', ['vite', '--config', 'demo/vite.config.ts'], { CONDUIT_BACKEND_URL: backendUrl });

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    for (const child of children) child.kill('SIGTERM');
  });
}
