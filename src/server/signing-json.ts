/**
 * The body line of a canonical request is built from the JSON *text*, not from parsed values:
 * a number keeps its literal (`1.0` stays `1.0`, which `JSON.parse` would turn into `1`). This is
 * a small strict JSON reader that keeps each number's text and flattens values the way Amazon
 * Pay's signatures expect: a list `[A, B]`, an object `{k=v, k2=v2}` (a null member `k=null`, as
 * Java's `Map.toString` in Amazon's SDKs prints it), a null field at the top level left out.
 *
 * A key given twice in one object, at any depth, is refused: `JSON.parse` keeps the last one, a
 * canonical form might keep either, so the value a signature covers could differ from the value
 * the code reads.
 */

/** A flattened value; `undefined` for JSON null. */
type Flat = string | undefined;

/** Signed JSON with a key given twice in one object. */
export class DuplicateKeyError extends SyntaxError {
  override readonly name = 'DuplicateKeyError';
}

/**
 * The tokens, matched where the reader stands (sticky): a string literal, and a literal that is not
 * a string. Made once, not per token.
 */
// eslint-disable-next-line no-control-regex -- JSON forbids raw control characters in strings
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const LITERAL = /true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** Whether the character code is JSON whitespace: space, tab, line feed, carriage return. */
const isSpace = (code: number) => code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;

class Reader {
  private at = 0;
  constructor(private readonly text: string) {}

  fail(what: string): never {
    throw new SyntaxError(`Invalid JSON at ${this.at}: ${what}.`);
  }

  space() {
    while (isSpace(this.text.charCodeAt(this.at))) this.at += 1;
  }

  /** The token `pattern` matches where the reader stands, taken; undefined when it does not match. */
  token(pattern: RegExp): string | undefined {
    const start = this.at;
    pattern.lastIndex = start;
    if (!pattern.test(this.text)) return undefined;
    this.at = pattern.lastIndex;
    return this.text.slice(start, this.at);
  }

  take(char: string) {
    this.space();
    if (this.text[this.at] !== char) this.fail(`expected "${char}"`);
    this.at += 1;
  }

  peek(): string {
    this.space();
    return this.text[this.at] ?? '';
  }

  /** Reads a JSON string literal and returns its value. */
  string(): string {
    this.space();
    const literal = this.token(STRING) ?? this.fail('expected a string');
    // Without a backslash, the text between the quotes is the value.
    return literal.includes('\\') ? (JSON.parse(literal) as string) : literal.slice(1, -1);
  }

  /** Reads any value and returns its flattened text, or undefined for null. */
  value(): Flat {
    const next = this.peek();
    if (next === '"') return this.string();
    if (next === '[') return this.list();
    if (next === '{') return `{${this.members().join(', ')}}`;
    const literal = this.token(LITERAL) ?? this.fail('expected a value');
    return literal === 'null' ? undefined : literal;
  }

  list(): string {
    this.take('[');
    const items: string[] = [];
    if (this.peek() !== ']') {
      for (;;) {
        items.push(this.value() ?? 'null');
        if (this.peek() !== ',') break;
        this.take(',');
      }
    }
    this.take(']');
    return `[${items.join(', ')}]`;
  }

  /** A nested object's members as `key=value`, a null member as `key=null`. */
  members(): string[] {
    return this.entries().map(([key, value]) => `${key}=${value ?? 'null'}`);
  }

  /** An object's members in order; a key given twice is an error. */
  entries(): Array<[string, Flat]> {
    this.take('{');
    const entries: Array<[string, Flat]> = [];
    const keys = new Set<string>();
    if (this.peek() !== '}') {
      for (;;) {
        const key = this.string();
        if (keys.has(key))
          throw new DuplicateKeyError(`Invalid JSON at ${this.at}: the key ${JSON.stringify(key)} twice.`);
        keys.add(key);
        this.take(':');
        entries.push([key, this.value()]);
        if (this.peek() !== ',') break;
        this.take(',');
      }
    }
    this.take('}');
    return entries;
  }

  end() {
    this.space();
    if (this.at !== this.text.length) this.fail('unexpected text after the value');
  }
}

/** The top-level fields of a JSON object text as `[key, flattened value]`, null fields left out. */
export function flattenJsonObject(text: string): Array<[string, string]> {
  const reader = new Reader(text);
  if (reader.peek() !== '{') reader.fail('expected an object');
  const entries = reader.entries();
  reader.end();
  return entries.filter((entry): entry is [string, string] => entry[1] !== undefined);
}

/**
 * `JSON.parse` for signed text: a `DuplicateKeyError` for a key given twice at any depth, so the
 * value a signature was checked over is the only value there is.
 */
export function parseSignedJson(text: string): unknown {
  const reader = new Reader(text);
  reader.value();
  reader.end();
  return JSON.parse(text);
}
