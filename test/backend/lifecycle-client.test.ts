import { expect } from '@open-wc/testing';
import { BackendClient } from '../../src/backend/client.js';
import { createHandoff, describeHandoff, getConnection, revokeHandoff, verifyConnection } from '../../src/backend/lifecycle-calls.js';
import { parseConnection, parseHandoff, parseHandoffView } from '../../src/backend/validate.js';
import { backend, startBackend } from '../harness.js';

const CONNECTION = { id: 'conn_1', integrationKey: 'chargify', status: 'Deauthorized', connectionInfo: {} };

describe('backend client: verify, hand-offs', () => {
  it('parses lastVerifiedAt and a known deauthorizedReason only', () => {
    const parsed = parseConnection({ ...CONNECTION, lastVerifiedAt: '2026-12-07T10:00:00Z', deauthorizedReason: 'invalid_credentials' });
    expect(parsed!.lastVerifiedAt).to.equal('2026-12-07T10:00:00Z');
    expect(parsed!.deauthorizedReason).to.equal('invalid_credentials');
    const hostile = parseConnection({ ...CONNECTION, lastVerifiedAt: 'x'.repeat(10_000), deauthorizedReason: '<img src=x>' });
    expect(hostile).to.not.have.property('lastVerifiedAt');
    expect(hostile).to.not.have.property('deauthorizedReason');
    const linked = parseConnection({ ...CONNECTION, status: 'Linked', deauthorizedReason: 'invalid_credentials' });
    expect(linked, 'a reason only while deauthorized').to.not.have.property('deauthorizedReason');
  });

  it('parses a hand-off: a URL-safe bounded token, a timestamp; nothing else kept', () => {
    const good = { id: 'hof_1', token: 'a'.repeat(43), expiresAt: '2026-12-08T10:00:00Z', extra: 'secret' };
    expect(parseHandoff(good)).to.deep.equal({ id: 'hof_1', token: 'a'.repeat(43), expiresAt: '2026-12-08T10:00:00Z' });
    expect(parseHandoff({ ...good, token: 'a b&c=d'.repeat(4) })).to.equal(null);
    expect(parseHandoff({ ...good, token: 'a'.repeat(300) })).to.equal(null);
    expect(parseHandoff({ ...good, expiresAt: 'tomorrow' })).to.equal(null);
    expect(parseHandoff({ ...good, id: '..' })).to.equal(null);
  });

  it('parses a hand-off view with a bounded company name', () => {
    const view = parseHandoffView({ companyId: 'acme-inc', companyName: 'N'.repeat(500), connection: CONNECTION, expiresAt: '2026-12-08T10:00:00Z' });
    expect(Array.from(view!.companyName)).to.have.length(101);
    expect(parseHandoffView({ companyId: 'acme-inc', companyName: 'Acme', connection: { nope: 1 }, expiresAt: '2026-12-08T10:00:00Z' })).to.equal(null);
  });

  it('a hand-off client needs no company id until it reads the hand-off, and then speaks for that company', async () => {
    await startBackend('demo');
    const owner = new BackendClient({ baseUrl: '/api', companyId: 'co_9', sessionToken: 'tok_valid' });
    const pending = await owner.createConnection('chargify');
    const handoff = await createHandoff(owner, pending.id);
    const colleague = new BackendClient({ baseUrl: '/api', handoff: true, sessionToken: handoff.token });
    const view = await describeHandoff(colleague);
    expect(view.companyId).to.equal('co_9');
    expect((await getConnection(colleague, pending.id)).id).to.equal(pending.id);
    expect(backend.requestsTo(`/companies/co_9/connections/${pending.id}`, 'GET')).to.have.length(1);
    await revokeHandoff(owner, pending.id, handoff.id);
    const refused = await getConnection(colleague, pending.id).catch((error: { code: string }) => error.code);
    expect(refused).to.equal('session_expired');
  });

  it('verify answers the checked connection', async () => {
    await startBackend('deauthorized');
    const client = new BackendClient({ baseUrl: '/api', companyId: 'co_9', sessionToken: 'tok_valid' });
    const [linked] = await client.listConnections();
    const checked = await verifyConnection(client, linked!.id);
    expect([checked.status, checked.deauthorizedReason]).to.deep.equal(['Deauthorized', 'invalid_credentials']);
    expect(checked.lastVerifiedAt).to.be.a('string');
  });
});
