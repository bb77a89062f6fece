/**
 * A real redis-server for the tests: started on a free loopback port with its own directory in the
 * suite's temp root, no persistence, and stopped (with its directory removed) by `stop`. `halt`
 * and `resume` take it away and bring it back on the same port, for the outage tests.
 *
 * CI installs the server (.ci/run); a machine without it fails these tests with a message saying
 * how to install it, rather than skipping them.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RedisServer {
  readonly port: number;
  /** redis://127.0.0.1:<port>/<db> (with the password when the server has one). */
  url(db?: number): string;
  /** Stops the server (SIGTERM, then SIGKILL after 5 s); its port stays ours for `resume`. */
  halt(): Promise<void>;
  /** Starts it again on the same port (with empty data: no persistence). */
  resume(): Promise<void>;
  /** Stops it and removes its directory. */
  stop(): Promise<void>;
}

export interface RedisServerOptions {
  /** `requirepass`: the URL carries it as the default user's password. */
  password?: string;
}

/**
 * The server's environment: ours, without a preloaded clock (the suite may run under faketime to
 * prove the product does not depend on today's date; redis-server under libfaketime hangs at
 * start, and its clock is not the product's).
 */
function serverEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env)) {
    if (name === 'LD_PRELOAD' || name.startsWith('FAKETIME')) delete env[name];
  }
  return env;
}

function redisServerBinary(): string {
  const found = spawnSync('redis-server', ['--version'], {
    encoding: 'utf8',
    env: serverEnv(),
    timeout: 10_000,
  });
  if (found.error || found.status !== 0) {
    throw new Error(
      'redis-server is not installed; the Redis tests start a real one. Install it with: apt-get install -y redis-server',
    );
  }
  return 'redis-server';
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

/** Resolves once the port accepts connections; rejects after `ms`. */
async function accepting(port: number, child: ChildProcess, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) {
      throw new Error(`redis-server did not listen on ${port} within ${ms} ms`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function ended(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const binary = redisServerBinary();
  const dir = mkdtempSync(join(tmpdir(), 'msgraph-redis-'));
  let port = 0;
  let child: ChildProcess | undefined;

  const launch = async (): Promise<void> => {
    const args = [
      '--bind',
      '127.0.0.1',
      '--port',
      String(port),
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      'no',
      '--daemonize',
      'no',
      '--loglevel',
      'warning',
      '--logfile',
      join(dir, 'redis.log'),
      ...(options.password ? ['--requirepass', options.password] : []),
    ];
    const started = spawn(binary, args, { stdio: 'ignore', env: serverEnv() });
    child = started;
    await accepting(port, started, 10_000);
  };

  // A port found free may be taken before the server binds it: try a few.
  for (let attempt = 0; ; attempt++) {
    port = await freePort();
    try {
      await launch();
      break;
    } catch (err) {
      if (child) await ended(child);
      if (attempt >= 4) {
        rmSync(dir, { recursive: true, force: true });
        throw err;
      }
    }
  }

  return {
    port,
    url: (db = 0) =>
      `redis://${options.password ? `:${encodeURIComponent(options.password)}@` : ''}127.0.0.1:${port}/${db}`,
    halt: async () => {
      if (child) await ended(child);
    },
    resume: launch,
    stop: async () => {
      if (child) await ended(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
