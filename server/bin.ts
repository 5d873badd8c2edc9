#!/usr/bin/env node
import { runBackend } from './run.js';
import { rotateKeyFromEnv } from './rotate-key.js';

// The `conduit-link-server` command of the installed package. Everything comes
// from the environment (the README's table), never from arguments, so no secret
// shows in a process list or a shell's history.

const USAGE = `Usage:
  conduit-link-server             serve the backend contract over HTTP (PORT, CONDUIT_DB, …)
  conduit-link-server rotate-key  reseal every stored API key under a new secret key
                                  (CONDUIT_DB, CONDUIT_OLD_SECRET_KEY, CONDUIT_NEW_SECRET_KEY;
                                  stop every backend process first)
The environment variables are described in the README.
`;

const [command, ...extra] = process.argv.slice(2);

if (command === undefined) {
  // The package has no simulated Chargify (that needs the repository's dev setup), so it calls the live one unless told otherwise.
  await runBackend({ ...process.env, CHARGIFY_MODE: process.env.CHARGIFY_MODE || 'live' });
} else if (command === 'rotate-key' && extra.length === 0) {
  try {
    const { resealed } = await rotateKeyFromEnv(process.env);
    process.stdout.write(`conduit-link-server: resealed ${resealed} stored key${resealed === 1 ? '' : 's'} under the new secret key. Start the backend with CONDUIT_SECRET_KEY set to it.\n`);
  } catch (error) {
    process.stderr.write(`conduit-link-server rotate-key: ${(error as Error).message}\n`);
    process.exit(1);
  }
} else if (command === 'help' || command === '--help' || command === '-h') {
  process.stdout.write(USAGE);
} else {
  process.stderr.write(`conduit-link-server: unknown command "${[command, ...extra].join(' ')}".\n${USAGE}`);
  process.exit(2);
}
