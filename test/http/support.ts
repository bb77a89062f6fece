/**
 * Test doubles shared by the HTTP and Graph suites: an HttpClient with a recording fake sleep, a
 * capturing logger, a fake AuthSession, and nock hygiene (no real network, every exchange used).
 */
import { expect } from 'chai';
import nock from 'nock';
import sinon from 'sinon';
import type { AuthSession } from '../../src/auth/types.js';
import { createHttpClient } from '../../src/http/client.js';
import { testClock } from '../helpers/clock.js';
import type { HttpClient, HttpClientOptions } from '../../src/http/types.js';
import type { Logger } from '../../src/base/log.js';
import { Redactor } from '../../src/base/redact.js';

export interface TestHttp {
  http: HttpClient;
  /** Every (scaled) wait the client asked for, in order. */
  sleeps: number[];
  debug: string[];
}

export function captureLogger(): { log: Logger; debug: string[] } {
  const debug: string[] = [];
  const redactor = new Redactor();
  const log: Logger = {
    debug: (m) => debug.push(redactor.redact(m)),
    info() {},
    warn() {},
    error() {},
  };
  return { log, debug };
}

/** An HttpClient whose waits return at once and are recorded; jitter fixed at 0.5. */
export function testHttp(overrides: Partial<HttpClientOptions> = {}): TestHttp {
  const clock = testClock(Date.now());
  const { log, debug } = captureLogger();
  const http = createHttpClient({
    timeoutMs: 5_000,
    proxy: false,
    insecure: false,
    log,
    clock,
    random: () => 0.5,
    ...overrides,
  });
  return { http, sleeps: clock.sleeps, debug };
}

export interface FakeSession extends AuthSession {
  getAccessToken: sinon.SinonStub;
  invalidate: sinon.SinonStub;
}

/** Hands out token-1, then token-2 after a forced refresh, and so on. */
export function fakeSession(): FakeSession {
  let generation = 1;
  const getAccessToken = sinon.stub().callsFake(async (options?: { forceRefresh?: boolean }) => {
    if (options?.forceRefresh) generation += 1;
    return `token-${generation}`;
  });
  return {
    flow: 'client-credentials',
    config: { flow: 'client-credentials' },
    getAccessToken,
    invalidate: sinon.stub().resolves(),
  };
}

/** nock with no real network, and a check that every interceptor was used. */
export function useNock(): void {
  beforeEach(() => {
    nock.disableNetConnect();
  });
  afterEach(function () {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    nock.enableNetConnect();
    if (this.currentTest?.state === 'passed') {
      expect(pending, 'unused nock interceptors').to.deep.equal([]);
    }
  });
}

/** A socket-level failure for nock's replyWithError (nock 14 hangs on a plain object). */
export const socketError = (code: string, message = code): Error =>
  Object.assign(new Error(message), { code });
