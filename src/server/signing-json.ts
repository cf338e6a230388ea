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

class Reader {
  private at = 0;
  constructor(private readonly text: string) {}

  fail(what: string): never {
    throw new SyntaxError(`Invalid JSON at ${this.at}: ${what}.`);
  }

  space() {
    while (/[ \t\n\r]/.test(this.text[this.at] ?? '')) this.at += 1;
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
    // eslint-disable-next-line no-control-regex -- JSON forbids raw control characters in strings
    const match = /^"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/.exec(this.text.slice(this.at));
    if (!match) this.fail('expected a string');
    this.at += match[0].length;
    return JSON.parse(match[0]) as string;
  }

  /** Reads any value and returns its flattened text, or undefined for null. */
  value(): Flat {
    const next = this.peek();
    if (next === '"') return this.string();
    if (next === '[') return this.list();
    if (next === '{') return `{${this.members().join(', ')}}`;
    const literal = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(this.text.slice(this.at));
    if (!literal) this.fail('expected a value');
    this.at += literal[0].length;
    return literal[0] === 'null' ? undefined : literal[0];
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
