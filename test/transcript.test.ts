// What a screen reader says through the whole journey, inline and in the modal,
// in English and in Arabic (issue 21, "How to prove it"), and in the modal in
// every other language the flow ships: the transcript of
// each is written out below and compared whole, so that "heard once", "heard at
// all" and "focus never on the page body" are asserted rather than checked by
// ear. The journeys are driven by the keyboard, as a screen-reader user drives
// them; test/transcript.ts explains how the transcript is read from Chromium's
// accessibility tree.
import { expect, fixture, fixtureCleanup, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { delay, http } from 'msw';
import { DEMO_KEYS, DEMO_SUBDOMAINS } from '../mocks/chargify.js';
import { focusedElement } from './a11y.js';
import { tabTo } from './flow-helpers.js';
import { backend, Flow, worker } from './harness.js';
import { FOCUS_ON_BODY, readable, Transcript } from './transcript.js';
import { waitFor } from './wait.js';
import { plain, sayIn, TARGET_LOCALES, type TargetLocale } from './wording.js';

// A key Chargify refuses for the demo's acme site: the one failure of each journey.
const WRONG_KEY = 'chg_demo_acme_typo';

// The mock backend answers at once; a real one takes a moment to load the catalogue
// and far longer to check a key with Chargify. Without that moment "Loading…" and
// "Checking…" would last less than a frame, and no reader could say them. (A handler
// that returns nothing hands the request on to the mock backend.)
function answerAfterAMoment(): void {
  worker.use(
    http.get('/api/integrations', async () => {
      await delay(300);
    }),
    http.put('/api/companies/:companyId/connections/:connectionId/authorization', async () => {
      await delay(300);
    }),
  );
}

/** The words of one language: the flow's message `id`, with values, as spoken (no bidi isolates). */
type Words = (id: string, values?: readonly string[]) => string;

/** A number in the language's digits, as the flow writes a step's place. */
function digitsOf(locale: string): (n: number) => string {
  const format = new Intl.NumberFormat(locale);
  return (n) => format.format(n);
}

async function press(key: string): Promise<void> {
  await sendKeys({ press: key });
}

async function type(text: string): Promise<void> {
  await sendKeys({ type: text });
}

// The transcript being recorded, halted after each test, passed or failed.
let recording: Transcript | null = null;

function record(): Transcript {
  recording = Transcript.start();
  return recording;
}

/** How many things said name `heading`: focus on it, or a live region repeating it. */
function timesHeard(lines: readonly string[], heading: string): number {
  return lines.filter((line) => line.includes(heading)).length;
}

interface Journey {
  /** The headings of the steps, and how many times the user arrives at each. */
  arrivals: [heading: string, times: number][];
  /** What "Checking your details with Chargify…" reads in this language. */
  checking: string;
  expected: string[];
}

/** The assertions every journey shares; the transcript is printed whole in each message. */
function expectTranscript(said: string[], journey: Journey): void {
  const shown = `\nTranscript:\n${readable(said)}`;
  expect(said.filter((line) => line === FOCUS_ON_BODY).length, `focus fell to the page body${shown}`).to.equal(0);
  for (const [heading, times] of journey.arrivals) {
    expect(timesHeard(said, heading), `"${heading}" heard ${timesHeard(said, heading)} times for ${times} arrival(s)${shown}`).to.equal(times);
  }
  expect(said, `"${journey.checking}" never heard${shown}`).to.include(`polite: ${journey.checking}`);
  expect(said).to.deep.equal(journey.expected);
}

/** The names the journey presses and types into, and the refusal it waits for, in one language. */
interface Labels {
  next: string;
  subdomain: string;
  key: string;
  submit: string;
  refused: string;
  finish: string;
  keepConnecting: string;
}

const EN_LABELS: Labels = {
  next: 'Next',
  subdomain: 'Site subdomain',
  key: 'API key',
  submit: 'Continue',
  refused:
    "Chargify didn't accept this API key for this site. Check that you pasted the whole key, the long code Chargify showed once when it was created, and that the subdomain is right. If you no longer have the key, create a new one.",
  finish: 'Finish',
  keepConnecting: 'Keep connecting',
};

function labelsIn(locale: string): Labels {
  if (locale === 'en') return EN_LABELS;
  const say = wordsOf(locale);
  return {
    next: say('conduit.common.next'),
    subdomain: say('conduit.credentials.subdomainLabel'),
    key: say('conduit.credentials.keyLabel'),
    submit: say('conduit.credentials.submit'),
    refused: say('conduit.error.invalidCredentials'),
    finish: say('conduit.success.finish'),
    keepConnecting: say('conduit.link.confirmStay'),
  };
}

/**
 * The keyboard journey from the picker to Finish: Chargify, Next, Next, the site,
 * a key Chargify refuses, the right key, Finish. `leaveAndStay` runs on the
 * credentials step once the site is typed (the modal asks before leaving).
 */
async function connect(flow: Flow, label: Labels, transcript: Transcript, leaveAndStay?: () => Promise<void>): Promise<void> {
  await tabTo('radio', 'Chargify');
  await press('Space');
  await tabTo('button', label.next);
  await press('Enter');
  await flow.waitForStep('permissions');
  await transcript.settle();

  await tabTo('button', label.next);
  await press('Enter');
  await flow.waitForStep('credentials');
  await transcript.settle();

  await tabTo('textbox', label.subdomain);
  await type(DEMO_SUBDOMAINS.acme);
  await leaveAndStay?.();
  await tabTo('textbox', label.key);
  await type(WRONG_KEY);
  await tabTo('button', label.submit);
  await press('Enter');
  await waitFor(() => plain(flow.text).includes(label.refused), () => `The refusal never showed: ${flow.text}`, { timeout: 5000 });
  await transcript.settle();

  // Focus is on the emptied key field, where the refusal sent it: the right key, then Enter.
  await type(DEMO_KEYS.acmeAdmin);
  await press('Enter');
  await flow.waitForStep('success');
  await transcript.settle();

  await tabTo('button', label.finish);
  await press('Enter');
  await waitFor(() => flow.eventsOf('conduit-finish').length === 1, 'Finish did not finish');
}

/** Inline: the page loads with the flow in it; the user tabs into it. */
async function inlineJourney(locale: string): Promise<string[]> {
  answerAfterAMoment();
  const transcript = record();
  const flow = await Flow.mount({ attributes: { locale } });
  await transcript.settle();
  await connect(flow, labelsIn(locale), transcript);
  return transcript.stop();
}

/** Modal: the partner's button opens the flow; Esc mid-flow asks, "Keep connecting" stays; Finish closes it. */
async function modalJourney(locale: string): Promise<string[]> {
  const label = labelsIn(locale);
  answerAfterAMoment();
  const opener = await fixture<HTMLButtonElement>(html`<button type="button">Connect your billing system</button>`);
  const flow = await Flow.mount({ attributes: { mode: 'modal', locale }, noWait: true });
  opener.addEventListener('click', () => flow.element.open());
  const transcript = record();
  await tabTo('button', 'Connect your billing system');
  await press('Enter');
  await flow.waitForStep('picker');
  await transcript.settle();

  await connect(flow, label, transcript, async () => {
    // Focus is on the site field, just typed into.
    const site = focusedElement() as HTMLInputElement;
    await press('Escape');
    await transcript.settle();
    await tabTo('button', label.keepConnecting);
    await press('Enter');
    await transcript.settle();
    // Back where the user was: the same step, with what they typed.
    expect(site.value, 'the site typed before Esc').to.equal(DEMO_SUBDOMAINS.acme);
  });
  await waitFor(() => flow.eventsOf('conduit-close').length === 1, 'Finish did not close the modal');
  return transcript.stop();
}

function wordsOf(locale: string): Words {
  const say = sayIn(locale);
  return (id, values) => plain(say(id, values));
}

// ---------------------------------------------------------------- English, written out

const EN_SUBDOMAIN = 'focus: textbox "Site subdomain" — The first part of your Chargify address, like acme in acme.chargify.com.';

/** From the credentials' first field to Finish, in English: the same inline and in the modal. */
const EN_CREDENTIALS_TO_FINISH = [
  'focus: radio "United States (chargify.com)"',
  'focus: textbox "API key"',
  'focus: button "Show key"',
  'focus: button "Where do I find my API key?"',
  'focus: button "Continue"',
  'polite: Checking your details with Chargify…',
  `focus: textbox "API key" — ${EN_LABELS.refused}`,
  'polite: Checking your details with Chargify…',
  'focus: heading "Chargify connected"',
  'polite: Step 4 of 4',
  'focus: button "Finish"',
];

const EN_INLINE = [
  // The page loads: focus stays where it was, and the flow says where it is.
  'polite: Step 1 of 4: Choose your billing platform',
  'focus: radio "Chargify"',
  'focus: button "Next"',
  'focus: heading "Connect to Chargify"',
  'polite: Step 2 of 4',
  'focus: button "Next"',
  'focus: heading "Your Chargify credentials"',
  'polite: Step 3 of 4',
  EN_SUBDOMAIN,
  ...EN_CREDENTIALS_TO_FINISH,
];

const EN_MODAL = [
  'focus: button "Connect your billing system"',
  // The modal opens while the catalogue loads: focus waits on what the flow says.
  'focus: status "Loading…"',
  'focus: heading "Choose your billing platform"',
  'polite: Step 1 of 4',
  'focus: radio "Chargify"',
  'focus: button "Next"',
  'focus: heading "Connect to Chargify"',
  'polite: Step 2 of 4',
  'focus: button "Next"',
  'focus: heading "Your Chargify credentials"',
  'polite: Step 3 of 4',
  EN_SUBDOMAIN,
  // Esc: the question, then "Keep connecting", then back on the step.
  'focus: heading "Leave without connecting?"',
  'focus: button "Leave"',
  'focus: button "Keep connecting"',
  'focus: heading "Your Chargify credentials"',
  EN_SUBDOMAIN,
  ...EN_CREDENTIALS_TO_FINISH,
  // The modal closed: focus is back on the partner's button.
  'focus: button "Connect your billing system"',
];

// ---------------------------------------------------------------- the other languages, from their catalogues

/** A language's transcripts, line for line the English ones, in the words its catalogue gives. */
function translated(locale: TargetLocale): { inline: string[]; modal: string[]; say: Words } {
  const say = wordsOf(locale);
  const n = digitsOf(locale);
  const step = (k: number) => `polite: ${say('conduit.link.position', [n(k), n(4)])}`;
  const subdomain = `focus: textbox "${say('conduit.credentials.subdomainLabel')}" — ${say('conduit.credentials.subdomainHint', ['acme.chargify.com'])}`;
  const credentials = `focus: heading "${say('conduit.credentials.title')}"`;
  const toFinish = [
    `focus: radio "${say('conduit.credentials.regionUS')} (chargify.com)"`,
    `focus: textbox "${say('conduit.credentials.keyLabel')}"`,
    `focus: button "${say('conduit.credentials.reveal')}"`,
    `focus: button "${say('conduit.credentials.helpTitle')}"`,
    `focus: button "${say('conduit.credentials.submit')}"`,
    `polite: ${say('conduit.credentials.checking')}`,
    `focus: textbox "${say('conduit.credentials.keyLabel')}" — ${say('conduit.error.invalidCredentials')}`,
    `polite: ${say('conduit.credentials.checking')}`,
    `focus: heading "${say('conduit.success.title')}"`,
    step(4),
    `focus: button "${say('conduit.success.finish')}"`,
  ];
  const toCredentials = [
    'focus: radio "Chargify"',
    `focus: button "${say('conduit.common.next')}"`,
    `focus: heading "${say('conduit.permissions.title', ['Chargify'])}"`,
    step(2),
    `focus: button "${say('conduit.common.next')}"`,
    credentials,
    step(3),
    subdomain,
  ];
  return {
    say,
    inline: [
      `polite: ${say('conduit.link.stepAnnouncement', [n(1), n(4), say('conduit.picker.title')])}`,
      ...toCredentials,
      ...toFinish,
    ],
    modal: [
      // The partner's button is the partner's, in the partner's words.
      'focus: button "Connect your billing system"',
      `focus: status "${say('conduit.link.loading')}"`,
      `focus: heading "${say('conduit.picker.title')}"`,
      step(1),
      ...toCredentials,
      `focus: heading "${say('conduit.link.confirmTitle')}"`,
      `focus: button "${say('conduit.link.confirmLeave')}"`,
      `focus: button "${say('conduit.link.confirmStay')}"`,
      credentials,
      subdomain,
      ...toFinish,
      'focus: button "Connect your billing system"',
    ],
  };
}

// ---------------------------------------------------------------- the journeys

describe('<conduit-link> spoken output: what a screen reader says, step by step', function () {
  // A whole journey by keyboard, with a moment's latency at each check: longer than one test's default.
  this.timeout(60_000);

  // The first flow in a language fetches its catalogue, and until it comes the loading line
  // reads in English, then changes, which a reader announces. That happens once per page,
  // not once per journey: the language is loaded before, so each journey hears the same.
  before(async () => {
    for (const locale of TARGET_LOCALES) await Flow.mount({ attributes: { locale } });
    fixtureCleanup();
  });

  afterEach(() => {
    recording?.halt();
    recording = null;
    worker.resetHandlers();
  });

  it('inline, in English', async () => {
    expectTranscript(await inlineJourney('en'), {
      arrivals: [
        ['Choose your billing platform', 1],
        ['Connect to Chargify', 1],
        ['Your Chargify credentials', 1],
        ['Chargify connected', 1],
      ],
      checking: 'Checking your details with Chargify…',
      expected: EN_INLINE,
    });
  });

  it('in the modal, in English, leaving and staying on the way', async () => {
    expectTranscript(await modalJourney('en'), {
      arrivals: [
        ['Choose your billing platform', 1],
        ['Connect to Chargify', 1],
        // Arrived at, then back from the leave question.
        ['Your Chargify credentials', 2],
        ['Leave without connecting?', 1],
        ['Chargify connected', 1],
      ],
      checking: 'Checking your details with Chargify…',
      expected: EN_MODAL,
    });
  });

  it('inline, in Arabic', async () => {
    const { say, inline } = translated('ar');
    expectTranscript(await inlineJourney('ar'), {
      arrivals: [
        [say('conduit.picker.title'), 1],
        [say('conduit.permissions.title', ['Chargify']), 1],
        [say('conduit.credentials.title'), 1],
        [say('conduit.success.title'), 1],
      ],
      checking: say('conduit.credentials.checking'),
      expected: inline,
    });
  });

  // Arabic, right to left, and every other language the flow ships: the modal journey,
  // which leaves and comes back and fails and retries on the way.
  for (const locale of ['ar', ...TARGET_LOCALES.filter((code) => code !== 'ar')] as const) {
    it(`in the modal, in ${locale === 'ar' ? 'Arabic' : locale}, leaving and staying on the way`, async () => {
      const { say, modal } = translated(locale);
      expectTranscript(await modalJourney(locale), {
        arrivals: [
          [say('conduit.picker.title'), 1],
          [say('conduit.permissions.title', ['Chargify']), 1],
          [say('conduit.credentials.title'), 2],
          [say('conduit.link.confirmTitle'), 1],
          [say('conduit.success.title'), 1],
        ],
        checking: say('conduit.credentials.checking'),
        expected: modal,
      });
    });
  }

  // Not one of the four journeys, but the moment issue 21 found focus falling to the page:
  // the flow reloading after "Try again". Inline, English: the reload is the same in every mode and language.
  it('while the flow reloads after Try again, inline, in English', async () => {
    answerAfterAMoment();
    const transcript = record();
    const flow = await Flow.mount({ scenario: 'unreachable' });
    await transcript.settle();
    await tabTo('button', 'Try again');
    // The connection is back by the time the user tries again.
    backend.reset('demo');
    await press('Enter');
    await flow.waitForStep('picker');
    const said = await transcript.stop();
    const shown = `\nTranscript:\n${readable(said)}`;
    expect(said.filter((line) => line === FOCUS_ON_BODY).length, `focus fell to the page body${shown}`).to.equal(0);
    expect(said).to.deep.equal([
      // The page loads on the failure: focus stays where it was; the flow says what happened.
      "assertive: We couldn't reach the server. Check your internet connection and try again.",
      'polite: Something went wrong',
      'focus: button "Copy support reference"',
      'focus: button "Try again"',
      // Reloading: focus waits on what the flow says, inside it.
      'focus: status "Loading…"',
      'focus: heading "Choose your billing platform"',
      'polite: Step 1 of 4',
    ]);
  });
});
