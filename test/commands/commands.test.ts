/**
 * Runs every CommandSpec in test/commands/specs, and derives each Graph command's failure paths
 * from its first case. The last test fails when a manifest command has no spec.
 */
import { expect } from 'chai';
import nock from 'nock';
import { loadCompiledManifest, type CompiledManifest } from '../../src/manifest/compiled.js';
import { isErrorEntry } from '../../src/command/entries.js';
import { specs } from './specs/index.js';
import {
  expectCaseResult,
  expectDeclaredContext,
  graphError,
  runCase,
  type CommandSpec,
  type Exchange,
} from './harness.js';

let compiled: CompiledManifest;

before(async () => {
  compiled = await loadCompiledManifest();
});

function withFirstResponse(
  spec: CommandSpec,
  status: number,
  response: unknown,
  headers?: Record<string, string>,
): Exchange[] {
  const [first] = spec.cases[0]!.exchanges;
  return [
    {
      ...first!,
      status,
      response,
      responseHeaders: { 'content-type': 'application/json', ...headers },
    },
  ];
}

describe('command specs', () => {
  beforeEach(() => nock.disableNetConnect());
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  for (const spec of specs) {
    describe(spec.command, () => {
      for (const testCase of spec.cases) {
        it(testCase.name, async () => {
          const entries = await runCase(testCase, spec.command);
          expectCaseResult(testCase, entries);
          expectDeclaredContext(compiled.commands.get(spec.command)!, entries);
        });
      }
      if (spec.noGraphCalls) return;
      const first = spec.cases[0]!;

      it('reports a 403 with the Graph code, message and request id', async () => {
        const response = graphError(
          403,
          'Authorization_RequestDenied',
          'Insufficient privileges to complete the operation.',
        );
        const entries = await runCase(first, spec.command, withFirstResponse(spec, 403, response));
        expect(entries.some(isErrorEntry), JSON.stringify(entries)).to.equal(true);
        const text = JSON.stringify(entries);
        expect(text)
          .to.contain('[403]')
          .and.contain('Authorization_RequestDenied')
          .and.contain('req-0000-test');
      });

      it('reports a 400 with the Graph code and message', async () => {
        const response = graphError(
          400,
          'Request_BadRequest',
          'Invalid value specified for property.',
        );
        const entries = await runCase(first, spec.command, withFirstResponse(spec, 400, response));
        expect(entries.some(isErrorEntry)).to.equal(true);
        expect(JSON.stringify(entries))
          .to.contain('[400]')
          .and.contain('Invalid value specified for property.');
      });

      it("handles a 404 as handle_error says: a note whatever Graph's message names, or an error", async () => {
        const response = graphError(
          404,
          'Request_ResourceNotFound',
          "Resource 'x' does not exist or one of its queried reference-property objects are not present.",
        );
        const entries = await runCase(first, spec.command, withFirstResponse(spec, 404, response));
        if (spec.notFound === 'error') {
          expect(entries.some(isErrorEntry)).to.equal(true);
          expect(JSON.stringify(entries)).to.contain('[404]');
        } else {
          expect(entries.some(isErrorEntry), JSON.stringify(entries)).to.equal(false);
          expect(JSON.stringify(entries)).to.contain(
            JSON.stringify(spec.notFound.note).slice(1, -1),
          );
        }
      });

      it('retries a 429 and then succeeds', async () => {
        const throttled = withFirstResponse(
          spec,
          429,
          graphError(429, 'TooManyRequests', 'Too many requests.'),
          { 'retry-after': '1' },
        );
        const entries = await runCase(first, spec.command, [...throttled, ...first.exchanges]);
        expectCaseResult(first, entries);
      });
    });
  }

  it('has a spec for every manifest command and test-module', () => {
    const missing = [...compiled.commands.keys()].filter(
      (name) => !specs.some((s) => s.command === name),
    );
    expect(missing, 'commands without a spec in test/commands/specs').to.deep.equal([]);
  });
});
