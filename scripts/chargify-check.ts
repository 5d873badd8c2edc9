// `npm run chargify:check -- --subdomain acme --region us`: the live check of
// server/chargify/live-check.ts against a real (test) site. The API key comes
// from CHARGIFY_API_KEY or a prompt that does not echo it, never from argv, where
// shell history and process lists would keep it. Needs the network: not run in CI.
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { getResponse } from 'msw';
import { chargifyHandlers } from '../mocks/chargify.js';
import { formatRows, runLiveCheck } from '../server/chargify/live-check.js';
import type { Region } from '../server/chargify/types.js';

function usage(message: string): never {
  console.error(`${message}\nUsage: npm run chargify:check -- --subdomain <site> --region us|eu   (key from CHARGIFY_API_KEY or a prompt)`);
  process.exit(2);
}

/** Reads a line without showing what is typed. */
function promptHidden(question: string): Promise<string> {
  return new Promise((resolve) => {
    const readline = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
    const write = (readline as unknown as { _writeToOutput: (text: string) => void })._writeToOutput.bind(readline);
    (readline as unknown as { _writeToOutput: (text: string) => void })._writeToOutput = (text) => write(text.startsWith(question) ? text : '');
    readline.question(question, (answer) => {
      readline.close();
      process.stdout.write('\n');
      resolve(answer.trim());
    });
  });
}

const { values } = parseArgs({ options: { subdomain: { type: 'string' }, region: { type: 'string', default: 'us' } } });
const subdomain = values.subdomain?.trim().toLowerCase();
if (!subdomain || !/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(subdomain)) usage('--subdomain is missing or not a Chargify subdomain.');
const region = values.region?.toUpperCase();
if (region !== 'US' && region !== 'EU') usage('--region must be us or eu.');

const apiKey = process.env.CHARGIFY_API_KEY?.trim() || (await promptHidden('Chargify API key (not shown): '));
if (!apiKey) usage('No API key given.');

console.log(`Checking ${subdomain} (${region}) against the real Chargify…\n`);
const rows = await runLiveCheck({
  subdomain,
  region: region as Region,
  apiKey,
  fetch: (input, init) => fetch(input, init),
  simulate: (request) => getResponse(chargifyHandlers, request),
});
console.log(formatRows(rows));
console.log('\nWhere a row differs, the README\'s "What we know about Chargify, and what we assume" has an assumption to correct.');
