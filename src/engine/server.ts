/**
 * The engine's HTTP server: listening, and stopping within a bound. Stopping turns away what has
 * not started (503 with Retry-After: a load balancer sends it elsewhere), stops accepting
 * connections, and waits for the commands in flight, at most `shutdownTimeoutMs`; after that the
 * remaining connections are closed. The instances' state needs no final save: every change is
 * written (atomically) when it is made, and the commands that make them have ended; then the
 * shared state's connection, if any, is closed.
 */
import type { AddressInfo } from 'node:net';
import type { Timer } from '../base/clock.js';
import type { Engine } from './engine.js';
import { createHttpApp, type HttpAppOptions } from './http-app.js';

export interface ServerOptions extends HttpAppOptions {
  host: string;
  port: number;
}

export interface RunningServer {
  /** `http(s)://host:port`, the port resolved when 0 was asked for. */
  readonly url: string;
  /** Stops as described above; `drained` is false when the bound cut commands short. */
  stop(shutdownTimeoutMs: number): Promise<{ drained: boolean }>;
}

const inFlight = (engine: Engine): number =>
  [...engine.instances.values()].reduce((sum, i) => sum + i.queue.inFlight, 0);

export async function startServer(engine: Engine, options: ServerOptions): Promise<RunningServer> {
  const { app, stop } = await createHttpApp(engine, options);
  await app.listen({ host: options.host, port: options.port });
  const { port } = app.server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  const url = `${options.tls ? 'https' : 'http'}://${host}:${port}`;
  engine.log.event('info', 'listening', {
    url,
    instances: [...engine.instances.keys()],
    state: engine.state.describe,
  });
  let stopping: Promise<{ drained: boolean }> | undefined;
  return {
    url,
    stop(shutdownTimeoutMs) {
      stopping ??= (async () => {
        const running = inFlight(engine);
        engine.log.event('info', 'stopping', { in_flight: running });
        stop();
        let timer: Timer | undefined;
        const drained = await Promise.race([
          app.close().then(() => true),
          new Promise<boolean>((resolve) => {
            timer = engine.clock.timer(shutdownTimeoutMs, () => resolve(false));
          }),
        ]);
        timer?.cancel();
        if (!drained) {
          engine.log.event('warn', 'stopped before every command ended', {
            in_flight: inFlight(engine),
            shutdown_timeout_ms: shutdownTimeoutMs,
          });
          app.server.closeAllConnections();
        } else {
          engine.log.event('info', 'stopped', { completed: running });
        }
        await engine.close();
        return { drained };
      })();
      return stopping;
    },
  };
}
