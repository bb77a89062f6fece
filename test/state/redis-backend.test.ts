import {
  connectRedis,
  parseRedisUrl,
  type RedisConnection,
} from '../../src/state/redis-connection.js';
import { openRedisBackend } from '../../src/state/open-backend.js';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js';
import { instanceStoreContract } from './instance-store-contract.js';

describe('instance state on Redis', function () {
  this.timeout(30_000);
  let server: RedisServer;
  let admin: RedisConnection;

  before(async () => {
    server = await startRedisServer();
    admin = await connectRedis(parseRedisUrl(server.url(), 'test'));
  });
  beforeEach(async () => {
    await admin.client.flushDb();
  });
  after(async () => {
    await admin?.close();
    await server?.stop();
  });

  describe('the state contract', () => {
    instanceStoreContract(() => ({
      open: (options) =>
        openRedisBackend(server.url(), { origin: 'test', lockWaitMs: options?.lockWaitMs }),
      location: () => server.url(),
    }));
  });
});
