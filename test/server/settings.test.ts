import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createLogger } from '../../server/log.js';
import { ConfigError, databasePathFrom, partnerSecretFile, securitySummary, settingsFromEnv } from '../../server/settings.js';

// Start-up settings (server/settings.ts) as `npm start` and a deployment meet
// them: nothing to set up locally, nothing guessable accepted anywhere, and a
// production start that is live, private and says what is in force.

const root = mkdtempSync(join(tmpdir(), 'conduit-settings-'));
after(() => rmSync(root, { recursive: true, force: true }));

let folders = 0;
/** A database path in a directory of its own that does not exist yet. */
function freshDatabase(): string {
  return join(root, `install-${++folders}`, 'data', 'conduit.sqlite');
}

function load(env: Record<string, string>) {
  const lines: string[] = [];
  const settings = settingsFromEnv(env, createLogger((line) => lines.push(line)));
  return { settings, log: lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

const strongSecret = () => randomBytes(32).toString('base64url');
const strongKey = () => randomBytes(32).toString('hex');
const production = () => ({ NODE_ENV: 'production', CONDUIT_SECRET_KEY: strongKey(), CONDUIT_PARTNER_SECRET: strongSecret() });
const mode = (path: string) => statSync(path).mode & 0o777;

describe('settings: secrets', () => {
  it('generates a partner secret per install, kept beside the database with mode 0600, and the same one on every start', () => {
    const database = freshDatabase();
    const first = load({ CONDUIT_DB: database }).settings;
    const file = partnerSecretFile(database);
    assert.equal(readFileSync(file, 'utf8').trim(), first.partnerSecret);
    assert.equal(mode(file), 0o600);
    assert.ok(Buffer.byteLength(first.partnerSecret) >= 32);
    assert.equal(load({ CONDUIT_DB: database }).settings.partnerSecret, first.partnerSecret, 'restarts keep it');
    assert.notEqual(load({ CONDUIT_DB: freshDatabase() }).settings.partnerSecret, first.partnerSecret, 'another install gets its own');
  });

  it('accepts no secret written in the repository: the old demo secret is refused, in any mode', () => {
    for (const env of [{}, { NODE_ENV: 'production', CONDUIT_SECRET_KEY: strongKey() }] as Record<string, string>[]) {
      assert.throws(
        () => load({ ...env, CONDUIT_DB: freshDatabase(), CONDUIT_PARTNER_SECRET: 'demo-partner-secret-not-for-production' }),
        (error: Error) => error instanceof ConfigError && /at least 32 bytes/.test(error.message),
      );
    }
  });

  it('refuses partner secrets shorter than 32 bytes or made of a repeated character, with a message that says how to make one', () => {
    for (const secret of ['x'.repeat(31), 'a'.repeat(64), 'abababababababababababababababab']) {
      assert.throws(
        () => load({ CONDUIT_DB: freshDatabase(), CONDUIT_PARTNER_SECRET: secret }),
        (error: Error) => error instanceof ConfigError && /openssl rand/.test(error.message),
        secret,
      );
    }
  });

  it('refuses low-entropy encryption keys: all zeros, one repeated character', () => {
    for (const key of ['0'.repeat(64), 'a'.repeat(64), Buffer.alloc(32).toString('base64'), Buffer.alloc(32, 7).toString('base64')]) {
      assert.throws(
        () => load({ CONDUIT_DB: freshDatabase(), CONDUIT_SECRET_KEY: key }),
        (error: Error) => error instanceof ConfigError && /looks made up/.test(error.message),
        key,
      );
    }
  });

  it('generates the encryption key file with mode 0600 when none is set', () => {
    const database = freshDatabase();
    const { settings } = load({ CONDUIT_DB: database });
    const file = join(database, '..', 'secret.key');
    assert.equal(mode(file), 0o600);
    assert.equal(settings.secretKey.length, 32);
    assert.deepEqual(settings.sources, { partnerSecret: 'generated file', secretKey: 'generated file' });
  });

  it('in production, needs both secrets set and generates neither', () => {
    const database = freshDatabase();
    assert.throws(() => load({ NODE_ENV: 'production', CONDUIT_DB: database, CONDUIT_PARTNER_SECRET: strongSecret() }), ConfigError);
    assert.throws(() => load({ NODE_ENV: 'production', CONDUIT_DB: database, CONDUIT_SECRET_KEY: strongKey() }), ConfigError);
    assert.equal(existsSync(partnerSecretFile(database)), false);
  });
});

describe('settings: Chargify mode', () => {
  it('is live in production unless set otherwise', () => {
    const { settings, log } = load({ ...production(), CONDUIT_DB: freshDatabase() });
    assert.equal(settings.chargifyMode, 'live');
    assert.equal(log.filter((line) => line.level === 'warn').length, 0);
  });

  it('simulates in production only when told to, and warns on every start', () => {
    const env = { ...production(), CONDUIT_DB: freshDatabase(), CHARGIFY_MODE: 'simulated' };
    for (let start = 0; start < 2; start++) {
      const { settings, log } = load(env);
      assert.equal(settings.chargifyMode, 'simulated');
      assert.deepEqual(
        log.filter((line) => line.level === 'warn').map((line) => line.event),
        ['chargify.simulated-in-production'],
      );
    }
  });

  it('simulates by default outside production, so npm start needs nothing', () => {
    assert.equal(load({ CONDUIT_DB: freshDatabase() }).settings.chargifyMode, 'simulated');
  });
});

describe('settings: CONDUIT_DB', () => {
  it('refuses a URL of another scheme instead of making a folder of it, naming the scheme but not the credentials', () => {
    const cwd = process.cwd();
    process.chdir(root);
    try {
      for (const url of ['mysql://user:hunter2@db.example:3306/conduit', 'https://example.com/db']) {
        assert.throws(
          () => load({ CONDUIT_DB: url }),
          (error: Error) =>
            error instanceof ConfigError && /Expected a SQLite file path/.test(error.message) && !error.message.includes('hunter2'),
          url,
        );
      }
      assert.equal(existsSync(join(root, 'mysql:')), false, 'no folder named after the scheme');
      // Postgres is a store of its own: named, not refused, and no folder either.
      const { settings } = load({ CONDUIT_DB: 'postgres://conduit:secret@db.example:5432/conduit' });
      assert.equal(settings.postgresUrl, 'postgres://conduit:secret@db.example:5432/conduit');
      assert.equal(existsSync(join(root, 'postgres:')), false);
    } finally {
      process.chdir(cwd);
    }
  });

  it('takes a path, a file: URL or :memory:', () => {
    assert.equal(databasePathFrom(undefined), '.data/conduit.sqlite');
    assert.equal(databasePathFrom('/srv/conduit/db.sqlite'), '/srv/conduit/db.sqlite');
    assert.equal(databasePathFrom('file:///srv/conduit/db.sqlite'), '/srv/conduit/db.sqlite');
    assert.equal(databasePathFrom('file:data/db.sqlite'), 'data/db.sqlite');
    assert.equal(databasePathFrom(':memory:'), ':memory:');
  });

  it('stops the start when the database cannot be written where it was asked for', () => {
    const notADirectory = join(root, 'a-file');
    writeFileSync(notADirectory, 'x');
    assert.throws(
      () => load({ CONDUIT_DB: join(notADirectory, 'conduit.sqlite') }),
      (error: Error) => error instanceof ConfigError && /cannot keep the database in/.test(error.message) && /writable/.test(error.message),
    );
  });

  it('creates the data directory readable by its owner only, and reports an existing one that others can read', () => {
    const database = freshDatabase();
    load({ CONDUIT_DB: database });
    assert.equal(mode(join(database, '..')), 0o700);

    const shared = join(root, 'shared');
    mkdirSync(shared);
    chmodSync(shared, 0o755);
    const { settings } = load({ CONDUIT_DB: join(shared, 'conduit.sqlite') });
    assert.equal(mode(shared), 0o755, 'a directory the operator made is left as it is');
    assert.match(String(securitySummary(settings).dataFiles), /readable by others/);
  });
});

describe('settings: the start-up line', () => {
  it('lists each security-relevant setting in force, and never a secret', () => {
    const env = { ...production(), CONDUIT_DB: freshDatabase(), CONDUIT_ALLOWED_ORIGINS: 'https://app.example,https://admin.example' };
    const { settings } = load(env);
    const summary = securitySummary(settings);
    assert.deepEqual(Object.keys(summary).sort(), [
      'allowedOrigins',
      'dataFiles',
      'environment',
      'limits',
      'mode',
      'partnerSecretSource',
      'publicOrigin',
      'secretKeySource',
      'trustProxy',
    ]);
    assert.equal(summary.environment, 'production');
    assert.equal(summary.mode, 'live');
    assert.equal(summary.partnerSecretSource, 'environment');
    assert.equal(summary.allowedOrigins, 2);
    assert.match(String(summary.dataFiles), /0700.*0600.*secure_delete on/);
    assert.match(String(summary.limits), /key attempts 10 per 10 min per session; 20 per 1 h per company; 60 per 1 h per address/);
    const line = JSON.stringify(summary);
    for (const secret of [env.CONDUIT_PARTNER_SECRET, env.CONDUIT_SECRET_KEY]) assert.ok(!line.includes(secret));
  });
});
