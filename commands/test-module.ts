/**
 * test-module (the Test button): a token and one Graph read. With the authorization code flow it
 * succeeds once a refresh token is stored, and otherwise explains how to finish authorization.
 */
import { checkConnection } from './shared/connection-check.js';
import type { Handler } from '../src/command/handler.js';

const testModule: Handler = (ctx) => checkConnection(ctx, { redeemCode: false });

export default testModule;
