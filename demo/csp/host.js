// The partner's own script on the strict-CSP page. Module scripts run in
// document order, so this runs before the bundle's tag that follows it and the
// elements upgrade with their settings already in place.

// Lit falls back to <style> elements where adoptedStyleSheets is missing, and
// gives them this nonce; without it style-src would block them. A nonced
// script's `nonce` property keeps the value the attribute no longer shows.
window.litNonce = document.querySelector('script[nonce]').nonce;

const meta = (name) => document.querySelector(`meta[name="conduit-${name}"]`);
const setting = (name) => meta(name).content;

const sessionToken = setting('session-token');
// Handed over, the token leaves the DOM: no script or extension reading the page later finds it.
meta('session-token').remove();
for (const flow of document.querySelectorAll('conduit-link')) {
  flow.setAttribute('backend-url', setting('backend-url'));
  flow.setAttribute('company-id', setting('company-id'));
  // A property, not the attribute, for the same reason.
  flow.sessionToken = sessionToken;
}

const modal = document.querySelector('#modal-flow');
document.querySelector('#open-modal').addEventListener('click', () => modal.open());

// What the page hears, as text nodes only (the page requires Trusted Types).
const log = document.querySelector('#event-log');
const detail = {
  'conduit-connection': (event) => event.connectionInfo.subdomain,
  'conduit-error': (event) => event.code,
  'conduit-close': (event) => event.step,
};
for (const [type, describe] of Object.entries(detail)) {
  document.addEventListener(type, (event) => {
    const item = document.createElement('li');
    item.textContent = `${type} ${describe(event)} (${event.target.id})`;
    log.append(item);
  });
}
