// Wording a native reader would change (issue 21, item 13), held message by
// message in the catalogues the build generates, and the sign-in help, which
// names the address of the region the user chose.
import { expect, html } from '@open-wc/testing';
import type { ConduitCredentials } from '../src/index.js';
import { mountScreen } from './harness.js';
import { CATALOGUES, plain, type TargetLocale } from './wording.js';

/** Every message of a language, as plain text (values show as {0}, {1}…). */
function messages(locale: TargetLocale): Record<string, string> {
  return Object.fromEntries(
    Object.entries(CATALOGUES[locale]).map(([id, message]) => {
      if (typeof message === 'string') return [id, message];
      const { strings, values } = message as { strings: readonly string[]; values: readonly unknown[] };
      return [id, strings.reduce((text, part, gap) => `${text}{${String(values[gap - 1])}}${part}`)];
    }),
  );
}

/** The messages of `locale` whose text matches `pattern`, as `id: text`. */
function saying(locale: TargetLocale, pattern: RegExp): string[] {
  return Object.entries(messages(locale))
    .filter(([, text]) => pattern.test(text))
    .map(([id, text]) => `${id}: ${text}`);
}

describe('wording, as a native reader would have it', () => {
  it('de: the leave question and its buttons use the same words', () => {
    const de = messages('de');
    expect(de['conduit.link.confirmTitle']).to.equal(`${de['conduit.link.confirmLeave']}?`);
    expect(de['conduit.link.confirmStay']).to.equal('Einrichtung fortsetzen');
    expect(de['conduit.link.confirmBody']).to.include('abbrechen');
  });

  it('de: one word for an admin, “Site-Admin”', () => {
    const other = Object.entries(messages('de')).flatMap(([id, text]) =>
      (text.match(/[\p{L}-]*admin[\p{L}-]*/giu) ?? []).filter((word) => !/^Site-Admins?$/.test(word)).map((word) => `${id}: ${word}`),
    );
    expect(other).to.deep.equal([]);
  });

  it('de: the session-expired texts name the button the user presses, „Neu beginnen“', () => {
    const de = messages('de');
    const button = `„${de['conduit.link.startAgain']}“`;
    expect(de['conduit.link.sessionExpiredBody']).to.include(button);
    expect(de['conduit.error.sessionExpired']).to.include(button);
  });

  it('fr: offline, the user restores the connection; “Reconnectez-vous” would ask them to sign in again', () => {
    expect(saying('fr', /reconnectez-vous/i)).to.deep.equal([]);
    expect(messages('fr')['conduit.error.offline']).to.include('Rétablissez votre connexion Internet');
  });

  it('it: the courtesy forms are capitalised everywhere (Sua, Lei, Le, poterLe)', () => {
    expect(saying('it', /\b(suo|sua|suoi|sue|lei)\b/)).to.deep.equal([]);
    // An infinitive with the courtesy pronoun attached: "poterLe offrire".
    expect(saying('it', /\p{L}+rle\b/u)).to.deep.equal([]);
    expect(messages('it')['conduit.lifecycle.disconnectBody']).to.include('Le servirà');
  });

  it('nl: “gegevens” means data, so the site and key are not called that', () => {
    const ids = ['conduit.credentials.title', 'conduit.credentials.intro', 'conduit.credentials.checking', 'conduit.error.invalidInput'];
    const nl = messages('nl');
    expect(ids.filter((id) => /gegevens/i.test(nl[id]!))).to.deep.equal([]);
    expect(nl['conduit.credentials.title']).to.equal('Uw Chargify-site en API-sleutel');
  });

  it('pt-BR: reactivate, then try again; access is revoked; a support reference, not a “support code”', () => {
    const pt = messages('pt-BR');
    expect(pt['conduit.error.accountBlocked']).to.match(/que a reative\. Depois, tente novamente\.$/);
    expect(pt['conduit.permissions.control']).to.include('Para revogar o acesso');
    expect(saying('pt-BR', /código de suporte/i)).to.deep.equal([]);
    expect(pt['conduit.error.reference']).to.equal('Referência para o suporte: {0}');
  });
});

describe('<conduit-credentials> sign-in help', () => {
  it('names the address of the region the user chose', async () => {
    const submit = async () => {};
    const { screen } = await mountScreen<ConduitCredentials>(html`<conduit-credentials .submitCredentials=${submit}></conduit-credentials>`);
    screen.byText('Where do I find my API key?').click();
    await screen.settle();
    const signIn = () => screen.blocks.map(plain).find((block) => block.startsWith('Sign in to Chargify'));
    expect(signIn()).to.equal("Sign in to Chargify at your site's address, like acme.chargify.com.");

    await screen.choose(/^Europe /);
    expect(signIn()).to.equal("Sign in to Chargify at your site's address, like acme.ebilling.maxio.com.");
    expect(plain(screen.text)).to.not.include('app.chargify.com');
  });
});
