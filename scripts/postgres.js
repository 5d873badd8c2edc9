// A throwaway Postgres for `npm test`: Debian's postgresql binaries, a new
// cluster in a temporary directory, on a free port of the loopback, run as the
// unprivileged `postgres` user (root may not run the server), removed on stop.
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const HOW_TO = 'Postgres is needed for the Postgres store tests: install Debian\'s postgresql (`apt-get install -y postgresql`) and run the tests as root, or set CONDUIT_TEST_PG to a database URL you own (postgres://user:pass@host:port/db; its tests create and drop databases).';

function binaries() {
  const root = '/usr/lib/postgresql';
  const version = existsSync(root) ? readdirSync(root).sort().at(-1) : undefined;
  return version ? join(root, version, 'bin') : undefined;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Why a throwaway cluster cannot start here, or null when it can. */
export function postgresUnavailable() {
  if (!binaries()) return HOW_TO;
  if (process.getuid?.() !== 0 || spawnSync('id', ['postgres']).status !== 0) return HOW_TO;
  return null;
}

/** Starts a cluster; resolves to its URL and a stop function that removes it. */
export async function startPostgres() {
  const reason = postgresUnavailable();
  if (reason) throw new Error(reason);
  const bin = binaries();
  const directory = mkdtempSync(join(tmpdir(), 'conduit-pg-'));
  const { uid, gid } = { uid: Number(execFileSync('id', ['-u', 'postgres']).toString()), gid: Number(execFileSync('id', ['-g', 'postgres']).toString()) };
  chownSync(directory, uid, gid);
  const data = join(directory, 'data');
  const asPostgres = (command, args) => execFileSync('runuser', ['-u', 'postgres', '--', join(bin, command), ...args], { stdio: 'pipe' });
  asPostgres('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8']);
  const port = await freePort();
  asPostgres('pg_ctl', ['-D', data, '-l', join(directory, 'log'), '-w', '-o', `-p ${port} -k ${directory} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop() {
      try {
        asPostgres('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
      } finally {
        rmSync(directory, { recursive: true, force: true });
      }
    },
  };
}
