import { expect } from 'chai';
import { stringEscapeMD, tableToMarkdown } from '../../src/command/markdown.js';

// Every vector below is CommonServerPython's output for the same input, taken from
// ../shared/reference/anchor-xsoar-runtime.md §2.6 (produced by running the extracted code).
describe('tableToMarkdown matches CommonServerPython byte for byte', () => {
  it('renders a list of rows under a title with sorted headers', () => {
    expect(
      tableToMarkdown('Results', [
        { id: 100, name: 'alert1' },
        { id: 200, name: 'alert2' },
      ]),
    ).to.equal('### Results\n|id|name|\n|---|---|\n| 100 | alert1 |\n| 200 | alert2 |\n');
  });

  it('prints "No entries." for an empty list', () => {
    expect(tableToMarkdown('T', [])).to.equal('### T\n**No entries.**\n');
  });

  it('omits the title when the name is empty, turns newlines into <br> and escapes pipes', () => {
    expect(tableToMarkdown('', { b: 'x|y', a: 'line1\nline2' })).to.equal(
      '|a|b|\n|---|---|\n| line1<br>line2 | x\\|y |\n',
    );
  });

  it('formats lists, nested dicts, booleans, nulls and numbers like Python', () => {
    const row = { x: [1, 2, 3], y: { k: 'v', n: { a: 1 } }, z: true, w: null, v: 0, u: 1.5 };
    expect(tableToMarkdown('Lists', row)).to.equal(
      '### Lists\n|u|v|w|x|y|z|\n|---|---|---|---|---|---|\n| 1.5 | 0 |  | 1,<br>2,<br>3 | k: v<br>n: {"a": 1} | true |\n',
    );
  });

  it('turns a single-key dict into a one-column table', () => {
    expect(tableToMarkdown('Single key', { k: ['a', 'b'] })).to.equal(
      '### Single key\n|k|\n|---|\n| a |\n| b |\n',
    );
  });

  it('renders a list of strings under the one given header', () => {
    expect(tableToMarkdown('Strings', ['a', 'b'], { headers: 'Name' })).to.equal(
      '### Strings\n|Name|\n|---|\n| a |\n| b |\n',
    );
  });

  it('drops columns that are empty in every row with removeNull', () => {
    const rows = [
      { a: 1, b: null, c: '' },
      { a: 2, b: [], c: {} },
    ];
    expect(tableToMarkdown('', rows, { removeNull: true })).to.equal('|a|\n|---|\n| 1 |\n| 2 |\n');
  });

  it('keeps the given header order and leaves missing cells empty', () => {
    expect(tableToMarkdown('', [{ b: 1, a: 2 }], { headers: ['b', 'a', 'c'] })).to.equal(
      '|b|a|c|\n|---|---|---|\n| 1 | 2 |  |\n',
    );
  });

  it('escapes pipes in headers and backticks in cells', () => {
    expect(tableToMarkdown('', [{ 'a|b': '`x`' }])).to.equal('|a\\|b|\n|---|\n| \\`x\\` |\n');
  });

  it('prints metadata under the title', () => {
    expect(tableToMarkdown('Meta', [{ a: 1 }], { metadata: 'some meta' })).to.equal(
      '### Meta\nsome meta\n|a|\n|---|\n| 1 |\n',
    );
  });

  it('turns url_keys values into markdown links', () => {
    expect(tableToMarkdown('', { u: 'https://x.com', n: 1 }, { urlKeys: ['u'] })).to.contain(
      '| 1 | [https://x.com](https://x.com) |',
    );
  });

  it('takes headers from the first row only', () => {
    expect(tableToMarkdown('', [{ a: 1 }, { b: 2 }])).to.equal('|a|\n|---|\n| 1 |\n|  |\n');
  });

  it("prints list elements with Python's str(): dicts as reprs, True/None capitalised", () => {
    // The reference vector has the Python float 1.0; JavaScript has no int/float distinction, so an
    // integral number prints as Python prints an int. A non-integral float prints identically.
    expect(tableToMarkdown('', { a: [{ x: 1, y: 'z' }], b: [true, null, 1.25] })).to.contain(
      "| {'x': 1, 'y': 'z'} | True,<br>None,<br>1.25 |",
    );
  });

  it('raises the Python error for scalars without headers', () => {
    expect(() => tableToMarkdown('', ['a'])).to.throw(
      "Missing headers param for tableToMarkdown. Example: headers=['Some Header']",
    );
  });

  it('escapes every markdown character outside minimal mode', () => {
    expect(stringEscapeMD('a*b_c|d', false)).to.equal('a\\*b\\_c\\|d');
    expect(stringEscapeMD('a\r\nb\rc\nd', true, true)).to.equal('a<br>b<br>c<br>d');
  });
});
