// Waiting in the browser tests: polling until something holds, and failing
// with how things stand when the wait gives up, not when it began.
import { waitUntil } from '@open-wc/testing';

export interface WaitOptions {
  /** ms; @open-wc's waitUntil's own default (1000) when left out. */
  timeout?: number;
  /** ms between polls; a test that times what it waits for polls more often. */
  interval?: number;
}

/**
 * Polls `condition` (which may be async: a query of the accessibility tree)
 * until it holds; on timeout fails with `failure`, worded at that moment when
 * it is a function. An error `condition` throws fails the
 * wait as it is, as does a promise it returns that rejects.
 */
export async function waitFor(
  condition: () => unknown,
  failure: string | (() => string | Promise<string>),
  options: WaitOptions = {},
): Promise<void> {
  let thrown: { error: unknown } | undefined;
  const check = async () => {
    try {
      return await condition();
    } catch (error) {
      thrown = { error };
      throw error;
    }
  };
  try {
    await waitUntil(check, '', options);
  } catch {
    if (thrown) throw thrown.error;
    throw new Error(typeof failure === 'string' ? failure : await failure());
  }
}
