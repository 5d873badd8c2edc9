// What a screen reader says, as a transcript a test can compare: each element
// focus lands on, as the reader speaks it (role, name, description), and each
// new text of a live region. @guidepup/virtual-screen-reader cannot serve here:
// 0.33 does not see into shadow roots, and every part of the flow lives in one.
// So roles, names, descriptions and politeness come from Chromium's own
// accessibility tree (test/a11y.ts), the tree a real screen reader reads.
//
// Focus and live-region text are sampled once per animation frame, about the
// pace at which Chromium sends its tree's changes to assistive technology: a
// state that lasts less than a frame is not spoken (a region cleared and set
// again within one frame counts as unchanged), and one that lasts a frame is,
// so a moment with focus on <body> is caught even when a later task moves it on.
import { axNodeOf, deepElements, focusedElement, isRendered, normalise } from './a11y.js';
import { plain } from './wording.js';

/** The line for a moment when focus fell to the page: a reader then says nothing useful, or the page title. */
export const FOCUS_ON_BODY = 'focus: nowhere (the page body)';

// Roles whose changes a reader announces without the author saying aria-live: an
// alert interrupts, the rest wait their turn.
const LIVE_ROLES: Readonly<Record<string, 'polite' | 'assertive'>> = {
  status: 'polite',
  log: 'polite',
  timer: 'polite',
  marquee: 'polite',
  alert: 'assertive',
};

type Politeness = 'polite' | 'assertive';

/** A live region as the DOM declares it; the accessibility tree confirms it when the text changes. */
function declaredPoliteness(element: Element): Politeness | null {
  const live = element.getAttribute('aria-live');
  if (live === 'polite' || live === 'assertive') return live;
  if (live === 'off') return null;
  const role = element.getAttribute('role') ?? (element.localName === 'output' ? 'status' : '');
  return LIVE_ROLES[role] ?? null;
}

/** The text a reader speaks for `element`: rendered text (visually hidden included), without aria-hidden parts, through shadow roots. */
function spokenText(element: Element): string {
  const parts: string[] = [];
  const walk = (node: Node) => {
    if (node.nodeType === Node.TEXT_NODE) {
      parts.push(node.textContent ?? '');
      return;
    }
    if (!(node instanceof Element)) return;
    if (node.getAttribute('aria-hidden') === 'true' || !isRendered(node)) return;
    const children = node.shadowRoot ? node.shadowRoot.childNodes : node.childNodes;
    children.forEach(walk);
  };
  walk(element);
  // The bidirectional isolates around inserted values are not spoken.
  return plain(normalise(parts.join(' ')));
}

/** `element` or an ancestor (through shadow roots) is marked aria-busy: some readers hold its announcements back. */
function insideBusy(element: Element): boolean {
  for (let at: Element | null = element; at; at = at.parentElement ?? ((at.getRootNode() as ShadowRoot).host ?? null)) {
    if (at.getAttribute('aria-busy') === 'true') return true;
  }
  return false;
}

/** What a reader says when focus lands on `element`: `role "name" — description`. */
async function speakFocus(element: Element): Promise<string> {
  const node = await axNodeOf(element);
  if (!node) return `focus: <${element.localName}> (not exposed to assistive technology)`;
  // A focused element with no name (a status, say) is read by its content.
  const name = plain(node.name || spokenText(element));
  const description = plain(node.description);
  return `focus: ${node.role}${name ? ` "${name}"` : ''}${description ? ` — ${description}` : ''}`;
}

/** What a reader says for a live region's new text, with the politeness the accessibility tree gives it. */
async function speakLive(element: Element, text: string, declared: Politeness, busy: boolean): Promise<string | null> {
  const node = await axNodeOf(element);
  // Gone before the tree was asked (a step replaced within a few frames): what the DOM declared.
  const live = node ? node.properties['live'] : declared;
  if (live !== 'polite' && live !== 'assertive') return null;
  return busy ? `${live}, held back by aria-busy: ${text}` : `${live}: ${text}`;
}

/**
 * Records, from `start()` until `stop()`, what a screen reader says, one line
 * each, in the order said: `focus: heading "Connect to Chargify"`,
 * `polite: Step 2 of 4`. In one frame, the focus comes first: readers speak a
 * focus change at once and queue polite announcements after it.
 */
export class Transcript {
  readonly #lines: Promise<string | null>[] = [];
  readonly #regions = new Map<Element, string>();
  #focus: Element | null;
  #frame = 0;
  #lastSaid = 0;
  #running = true;

  private constructor() {
    this.#focus = focusedElement();
    // What is on the page already was said before the transcript began.
    for (const [element] of this.#liveRegions()) this.#regions.set(element, spokenText(element));
    this.#sample();
  }

  /** Starts recording: what is said from now on. */
  static start(): Transcript {
    return new Transcript();
  }

  /** The live regions on the page now, through shadow roots, each with the politeness its markup declares. */
  #liveRegions(): [Element, Politeness][] {
    return deepElements(document.body).flatMap((element): [Element, Politeness][] => {
      const politeness = declaredPoliteness(element);
      return politeness ? [[element, politeness]] : [];
    });
  }

  #say(line: Promise<string | null>): void {
    this.#lines.push(line);
    this.#lastSaid = this.#frame;
  }

  #sample = (): void => {
    if (!this.#running) return;
    this.#frame++;
    const focus = focusedElement();
    const onBody = !focus || focus === document.body;
    if (focus !== this.#focus) {
      this.#focus = focus;
      this.#say(onBody ? Promise.resolve(FOCUS_ON_BODY) : speakFocus(focus));
    }
    const seen = new Set<Element>();
    for (const [element, politeness] of this.#liveRegions()) {
      seen.add(element);
      const text = isRendered(element) ? spokenText(element) : '';
      const before = this.#regions.get(element);
      this.#regions.set(element, text);
      if (text === '' || text === before) continue;
      // A polite region that appears with its text already in it is not announced by readers;
      // an alert is, on appearing.
      if (before === undefined && politeness !== 'assertive') continue;
      this.#say(speakLive(element, text, politeness, insideBusy(element)));
    }
    for (const element of this.#regions.keys()) if (!seen.has(element)) this.#regions.delete(element);
    requestAnimationFrame(this.#sample);
  };

  /** Waits until nothing new has been said for `quietFrames` frames (a polite region is set a frame or two after focus moves). */
  async settle(quietFrames = 12, timeout = 5000): Promise<void> {
    const started = performance.now();
    while (this.#frame - this.#lastSaid < quietFrames) {
      if (performance.now() - started > timeout) throw new Error(`The page kept talking for ${timeout} ms: ${(await this.lines()).join(' | ')}`);
      await new Promise(requestAnimationFrame);
    }
  }

  /** Everything said so far, one line each. */
  async lines(): Promise<string[]> {
    const said = await Promise.all(this.#lines);
    return said.filter((line): line is string => line !== null);
  }

  /** Stops recording, once the page has gone quiet, and gives the transcript. */
  async stop(): Promise<string[]> {
    await this.settle();
    this.halt();
    return this.lines();
  }

  /** Stops sampling at once (after a failed test, so that no recorder keeps running into the next). */
  halt(): void {
    this.#running = false;
  }
}

/** The transcript as a block to read in a failure message, one numbered line each. */
export function readable(lines: readonly string[]): string {
  return lines.map((line, index) => `${String(index + 1).padStart(3)}  ${line}`).join('\n');
}
