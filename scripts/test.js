// `npm test`: makes sure a Chromium is there, then runs the browser suite.
import { execFileSync, spawnSync } from 'node:child_process';
import { CHROMIUM_ARGS, findChromium } from './chromium.js';

function installChromium() {
  const canApt = process.getuid?.() === 0 && spawnSync('which', ['apt-get']).status === 0;
  if (!canApt) return false;
  console.log('No Chromium found; installing Debian\'s chromium with apt-get…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env });
  return true;
}

let chromium = findChromium();
if (!chromium && installChromium()) chromium = findChromium();
if (!chromium) {
  console.error(
    'No Chromium found. Install one (Debian: `sudo apt-get install -y chromium`) or set CHROME_PATH to its executable.',
  );
  process.exit(1);
}

const env = { ...process.env, CHROME_PATH: chromium, CHROMIUM_ARGS: CHROMIUM_ARGS.join(' ') };
const result = spawnSync('npx', ['web-test-runner', ...process.argv.slice(2)], { stdio: 'inherit', env });
process.exit(result.status ?? 1);
