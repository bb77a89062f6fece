/**
 * The data writers on their own: json written batch by batch is the document JSON.stringify
 * would print for all of it, however the items are split; ndjson is a line per item.
 */
import { expect } from 'chai';
import { dataWriter } from '../../src/cli/data-writer.js';

const ITEMS: unknown[] = [
  { ID: '1', DisplayName: 'Zoë 山田 👩🏽‍💻', Note: 'ends a line\u2028 and a paragraph\u2029 here' },
  { ID: '2', Nested: { list: [], object: {}, deep: [{ a: [1, 2, { b: null }] }] } },
  { ID: '3', Text: 'line\nbreak, "quotes", back\\slash, tab\t, \ud800 lone, \u0007 bell' },
  null,
  undefined,
  'a string item',
  42,
  [],
  {},
];

async function written(format: 'json' | 'ndjson', batches: unknown[][]) {
  const writes: string[] = [];
  const writer = await dataWriter(format, { write: (text: string) => writes.push(text) > 0 });
  for (const batch of batches) await writer.write(batch);
  await writer.end();
  return { text: writes.join(''), writes };
}

/** Every way to cut `items` into consecutive batches at up to two points (empty batches too). */
function splits(items: unknown[]): unknown[][][] {
  const out: unknown[][][] = [];
  for (let i = 0; i <= items.length; i++) {
    for (let j = i; j <= items.length; j++) {
      out.push([items.slice(0, i), items.slice(i, j), items.slice(j)]);
    }
  }
  return out;
}

describe('data writers', () => {
  it('json: any batching prints JSON.stringify(all, null, 2) byte for byte', async () => {
    const document = `${JSON.stringify(ITEMS, null, 2)}\n`;
    for (const batches of splits(ITEMS)) {
      const { text } = await written('json', batches);
      expect(text, JSON.stringify(batches.map((b) => b.length))).to.equal(document);
    }
  });

  it('json: no items, or only empty batches, is an empty list', async () => {
    expect((await written('json', [])).text).to.equal('[]\n');
    expect((await written('json', [[], []])).text).to.equal(`${JSON.stringify([], null, 2)}\n`);
  });

  it('json: one write a batch, and one for the end', async () => {
    const { writes } = await written('json', [ITEMS.slice(0, 2), [], ITEMS.slice(2)]);
    expect(writes).to.have.length(3);
  });

  it('ndjson: one line an item, one write a batch; a value JSON cannot hold is null', async () => {
    const { text, writes } = await written('ndjson', [ITEMS.slice(0, 4), ITEMS.slice(4)]);
    expect(writes).to.have.length(2);
    expect(writes.every((w) => w.endsWith('\n'))).to.equal(true);
    const lines = text.split('\n');
    expect(lines.pop()).to.equal('');
    expect(lines.map((line) => JSON.parse(line) as unknown)).to.deep.equal(
      JSON.parse(JSON.stringify(ITEMS)),
    );
    expect((await written('ndjson', [[], []])).text).to.equal('');
  });
});
