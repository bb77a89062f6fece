/**
 * test-module (the Test button): a new token (never a cached one) and one Graph read. With the
 * authorization code flow it succeeds once a refresh token is stored (and still works), and
 * otherwise explains how to finish authorization.
 */
import { checkConnection } from './shared/connection-check.js';
import type { Handler } from '../src/command/handler.js';

const testModule: Handler = (ctx) => checkConnection(ctx, { redeemCode: false, fresh: true });

export default testModule;
