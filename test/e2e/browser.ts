// What the browser tests share: Chromium as the test runner finds it, and the
// small local HTTP servers that play the partner's page or a CDN.
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../../scripts/chromium.js';

/** A headless Chromium: the system's own, never one downloaded for the tests. */
export async function launchChromium(): Promise<Browser> {
  const executablePath = findChromium();
  assert(executablePath, 'Chromium is needed: run the tests with `npm test`, which installs it.');
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS });
}

/** Starts `server` on a free port of the loopback interface; resolves to its origin, `http://127.0.0.1:{port}`. */
export function listen(server: Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    });
  });
}

/** Stops `server`. For an `after` hook: a `before` that failed early may have left it unmade or not listening. */
export function closeServer(server?: Server): Promise<void> {
  if (!server?.listening) return Promise.resolve();
  return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}

/**
 * An accessible name to find by, as the user hears it: the flow puts the invisible
 * marks U+2068…U+2069 around each value in a sentence ("Connect to ⁨Chargify⁩"),
 * which a screen reader skips and Playwright's name matching does not.
 */
export function spoken(name: string): RegExp {
  const marks = '[\\u2066-\\u2069]*';
  return new RegExp(`^${marks}${[...name].map((char) => char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join(marks)}${marks}$`);
}
