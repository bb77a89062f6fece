/**
 * Reads back the Python literals that war-room tables hold (CommonServerPython prints dicts and
 * lists inside cells with `str()`: `{'signInType': 'userPrincipalName', 'issuer': None}`) and
 * JSON, so a terminal can show them as fields instead of reprs. Anything else is not a literal.
 */

type Literal = null | boolean | number | string | Literal[] | { [key: string]: Literal };

class Reader {
  private at = 0;
  constructor(private readonly text: string) {}

  done(): boolean {
    this.skipSpace();
    return this.at >= this.text.length;
  }

  private skipSpace(): void {
    while (/\s/.test(this.text[this.at] ?? '')) this.at += 1;
  }

  private expect(char: string): void {
    this.skipSpace();
    if (this.text[this.at] !== char) throw new SyntaxError(`expected ${char}`);
    this.at += 1;
  }

  private peek(): string {
    this.skipSpace();
    return this.text[this.at] ?? '';
  }

  value(): Literal {
    const next = this.peek();
    if (next === '{') return this.dict();
    if (next === '[' || next === '(') return this.list(next === '[' ? ']' : ')');
    if (next === "'" || next === '"') return this.string();
    const word = /^(?:None|null|True|true|False|false|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(
      this.text.slice(this.at),
    )?.[0];
    if (!word) throw new SyntaxError('not a literal');
    this.at += word.length;
    if (word === 'None' || word === 'null') return null;
    if (word === 'True' || word === 'true') return true;
    if (word === 'False' || word === 'false') return false;
    return Number(word);
  }

  private items<T>(close: string, item: () => T): T[] {
    const found: T[] = [];
    while (this.peek() !== close) {
      found.push(item());
      if (this.peek() !== ',') break;
      this.expect(',');
    }
    this.expect(close);
    return found;
  }

  private dict(): Literal {
    this.expect('{');
    const pairs = this.items('}', () => {
      const key = this.value();
      this.expect(':');
      return [String(key), this.value()] as const;
    });
    return Object.fromEntries(pairs);
  }

  private list(close: string): Literal {
    this.at += 1;
    return this.items(close, () => this.value());
  }

  private string(): string {
    const quote = this.text[this.at]!;
    let out = '';
    for (this.at += 1; this.at < this.text.length; this.at += 1) {
      const char = this.text[this.at]!;
      if (char === quote) {
        this.at += 1;
        return out;
      }
      if (char === '\\') {
        const escaped = this.text[++this.at] ?? '';
        out += ({ n: '\n', t: '\t', r: '\r' } as Record<string, string>)[escaped] ?? escaped;
      } else out += char;
    }
    throw new SyntaxError('unterminated string');
  }
}

/** The value of a Python or JSON literal dict or list, or undefined when `text` is not one. */
export function parseLiteral(text: string): Literal | undefined {
  const trimmed = text.trim();
  if (!/^[[{(]/.test(trimmed)) return undefined;
  try {
    const reader = new Reader(trimmed);
    const value = reader.value();
    return reader.done() ? value : undefined;
  } catch {
    return undefined;
  }
}

export type { Literal };
