import type { EntitySchema } from '../data/schema.js';
import type { Json, JsonObject } from '../types.js';
import { graphErrors } from './errors.js';

/**
 * A small OData $filter parser and evaluator: eq, ne, in, startswith, endswith, and, or, not,
 * parentheses, and string/boolean/null/number literals with '' as the escaped quote. Anything
 * else is rejected with the error Graph gives, never silently ignored, so a malformed or injected
 * filter can only fail, not widen the result.
 */

type Literal = string | number | boolean | null;

export type FilterNode =
  | { kind: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { kind: 'not'; operand: FilterNode }
  | { kind: 'cmp'; op: 'eq' | 'ne'; prop: string; value: Literal }
  | { kind: 'in'; prop: string; values: Literal[] }
  | { kind: 'func'; name: 'startswith' | 'endswith'; prop: string; value: string };

export interface ParsedFilter {
  root: FilterNode;
  /** Operators that Graph only accepts as advanced queries (ConsistencyLevel + $count). */
  advanced: string[];
}

type Token =
  | { t: 'str'; v: string; pos: number }
  | { t: 'num'; v: number; pos: number }
  | { t: 'word'; v: string; pos: number }
  | { t: 'punct'; v: '(' | ')' | ','; pos: number };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'") {
      const start = i;
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length) {
          throw graphErrors.odataBadRequest(
            `Invalid filter clause: There is an unterminated string literal at position ${start} in '${text}'.`,
          );
        }
        if (text[i] === "'") {
          if (text[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += text[i];
        i++;
      }
      tokens.push({ t: 'str', v: value, pos: start });
    } else if (c === '(' || c === ')' || c === ',') {
      tokens.push({ t: 'punct', v: c, pos: i });
      i++;
    } else if (/[-0-9]/.test(c)) {
      const m = /^-?\d+(\.\d+)?/.exec(text.slice(i));
      if (!m) throw syntaxError(text, i);
      tokens.push({ t: 'num', v: Number(m[0]), pos: i });
      i += m[0].length;
    } else if (/[A-Za-z_@$]/.test(c)) {
      const m = /^[A-Za-z_@$][A-Za-z0-9_./$]*/.exec(text.slice(i)) as RegExpExecArray;
      tokens.push({ t: 'word', v: m[0], pos: i });
      i += m[0].length;
    } else {
      throw syntaxError(text, i);
    }
  }
  return tokens;
}

const syntaxError = (text: string, pos: number) =>
  graphErrors.odataBadRequest(
    `Invalid filter clause: Syntax error at position ${pos} in '${text}'.`,
  );

class Parser {
  private i = 0;
  readonly advanced = new Set<string>();

  constructor(
    private readonly tokens: Token[],
    private readonly text: string,
    private readonly schema: EntitySchema,
  ) {}

  parse(): FilterNode {
    const node = this.or();
    if (this.i < this.tokens.length) {
      throw syntaxError(this.text, this.peek()?.pos ?? this.text.length);
    }
    return node;
  }

  private peek(): Token | undefined {
    return this.tokens[this.i];
  }

  private next(): Token {
    const token = this.tokens[this.i++];
    if (!token) throw syntaxError(this.text, this.text.length);
    return token;
  }

  private isWord(value: string): boolean {
    const token = this.peek();
    return token?.t === 'word' && token.v.toLowerCase() === value;
  }

  private expectPunct(value: '(' | ')' | ','): void {
    const token = this.next();
    if (token.t !== 'punct' || token.v !== value) throw syntaxError(this.text, token.pos);
  }

  private or(): FilterNode {
    let left = this.and();
    while (this.isWord('or')) {
      this.i++;
      left = { kind: 'or', left, right: this.and() };
    }
    return left;
  }

  private and(): FilterNode {
    let left = this.unary();
    while (this.isWord('and')) {
      this.i++;
      left = { kind: 'and', left, right: this.unary() };
    }
    return left;
  }

  private unary(): FilterNode {
    if (this.isWord('not')) {
      this.i++;
      this.advanced.add('not');
      return { kind: 'not', operand: this.unary() };
    }
    const token = this.peek();
    if (token?.t === 'punct' && token.v === '(') {
      this.i++;
      const node = this.or();
      this.expectPunct(')');
      return node;
    }
    return this.comparison();
  }

  private property(token: Token): string {
    if (token.t !== 'word') throw syntaxError(this.text, token.pos);
    const spec = this.schema.props[token.v];
    if (!spec) {
      const root = token.v.split('/')[0] as string;
      if (token.v.includes('/') && this.schema.props[root]) {
        throw graphErrors.unsupportedQuery(
          `Unsupported or invalid query filter clause specified for property '${root}' of resource '${this.schema.resourceName}'.`,
        );
      }
      throw graphErrors.odataBadRequest(
        `Invalid filter clause: Could not find a property named '${token.v}' on type '${this.schema.typeName}'.`,
      );
    }
    return token.v;
  }

  private literal(prop: string): Literal {
    const token = this.next();
    let value: Literal;
    if (token.t === 'str' || token.t === 'num') value = token.v;
    else if (token.t === 'word' && ['true', 'false'].includes(token.v)) value = token.v === 'true';
    else if (token.t === 'word' && token.v === 'null') value = null;
    else throw syntaxError(this.text, token.pos);
    this.checkType(prop, value);
    return value;
  }

  private checkType(prop: string, value: Literal): void {
    const type = this.schema.props[prop]?.type;
    const edm = type === 'boolean' ? 'Edm.Boolean' : type === 'int' ? 'Edm.Int32' : 'Edm.String';
    const actual =
      typeof value === 'boolean'
        ? 'Edm.Boolean'
        : typeof value === 'number'
          ? 'Edm.Int32'
          : 'Edm.String';
    if (type === 'stringArray' || type === 'objectArray' || type === 'object') {
      throw graphErrors.unsupportedQuery(
        `Unsupported or invalid query filter clause specified for property '${prop}' of resource '${this.schema.resourceName}'.`,
      );
    }
    if (value !== null && edm !== actual && !(type === 'dateTime' && actual === 'Edm.String')) {
      throw graphErrors.odataBadRequest(
        `A binary operator with incompatible types was detected. Found operand types '${edm}' and '${actual}' for operator kind 'Equal'.`,
      );
    }
  }

  private comparison(): FilterNode {
    const first = this.next();
    if (first.t === 'word' && /^(startswith|endswith)$/i.test(first.v) && this.peek()?.v === '(') {
      const name = first.v.toLowerCase() as 'startswith' | 'endswith';
      if (name === 'endswith') this.advanced.add('endsWith');
      this.expectPunct('(');
      const prop = this.property(this.next());
      this.expectPunct(',');
      const value = this.literal(prop);
      this.expectPunct(')');
      if (typeof value !== 'string') throw syntaxError(this.text, first.pos);
      return { kind: 'func', name, prop, value };
    }
    if (first.t === 'word' && this.peek()?.v === '(') {
      throw graphErrors.unsupportedQuery(
        `Unsupported Query: function '${first.v}' is not supported.`,
      );
    }
    const prop = this.property(first);
    const op = this.next();
    if (op.t !== 'word') throw syntaxError(this.text, op.pos);
    const operator = op.v.toLowerCase();
    if (operator === 'in') {
      this.expectPunct('(');
      const values = [this.literal(prop)];
      while (this.peek()?.v === ',') {
        this.i++;
        values.push(this.literal(prop));
      }
      this.expectPunct(')');
      return { kind: 'in', prop, values };
    }
    if (operator === 'eq' || operator === 'ne') {
      if (operator === 'ne') this.advanced.add('ne');
      return { kind: 'cmp', op: operator, prop, value: this.literal(prop) };
    }
    if (['gt', 'ge', 'lt', 'le'].includes(operator)) {
      throw graphErrors.unsupportedQuery(
        `Unsupported or invalid query filter clause specified for property '${prop}' of resource '${this.schema.resourceName}'.`,
      );
    }
    throw syntaxError(this.text, op.pos);
  }
}

export function parseFilter(text: string, schema: EntitySchema): ParsedFilter {
  const parser = new Parser(tokenize(text), text, schema);
  const root = parser.parse();
  return { root, advanced: [...parser.advanced] };
}

// Directory string comparisons are case-insensitive.
const norm = (value: Json | undefined): Json | undefined =>
  typeof value === 'string' ? value.toLowerCase() : value;

function equals(actual: Json | undefined, expected: Literal): boolean {
  if (expected === null) return actual === null || actual === undefined;
  return norm(actual) === norm(expected);
}

export function evaluateFilter(node: FilterNode, entity: JsonObject): boolean {
  switch (node.kind) {
    case 'and':
      return evaluateFilter(node.left, entity) && evaluateFilter(node.right, entity);
    case 'or':
      return evaluateFilter(node.left, entity) || evaluateFilter(node.right, entity);
    case 'not':
      return !evaluateFilter(node.operand, entity);
    case 'cmp':
      return equals(entity[node.prop], node.value) === (node.op === 'eq');
    case 'in':
      return node.values.some((value) => equals(entity[node.prop], value));
    case 'func': {
      const actual = entity[node.prop];
      if (typeof actual !== 'string') return false;
      const a = actual.toLowerCase();
      const v = node.value.toLowerCase();
      return node.name === 'startswith' ? a.startsWith(v) : a.endsWith(v);
    }
  }
}
