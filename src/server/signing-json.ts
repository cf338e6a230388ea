/**
 * The body line of a canonical request is built from the JSON *text*, not from parsed values:
 * a number keeps its literal (`1.0` stays `1.0`, which `JSON.parse` would turn into `1`). This is
 * a small strict JSON reader that keeps each number's text and flattens values the way Amazon
 * Pay's signatures expect: a list `[A, B]`, an object `{k=v, k2=v2}`, null left out.
 */

type Flat = string | undefined;

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

  /** Reads an object's members as `key=value`, null members left out. */
  members(): string[] {
    return this.entries().map(([key, value]) => `${key}=${value}`);
  }

  entries(): Array<[string, string]> {
    this.take('{');
    const entries: Array<[string, string]> = [];
    if (this.peek() !== '}') {
      for (;;) {
        const key = this.string();
        this.take(':');
        const value = this.value();
        if (value !== undefined) entries.push([key, value]);
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

/** The top-level fields of a JSON object text as `[key, flattened value]`, nulls left out. */
export function flattenJsonObject(text: string): Array<[string, string]> {
  const reader = new Reader(text);
  if (reader.peek() !== '{') reader.fail('expected an object');
  const entries = reader.entries();
  reader.end();
  return entries;
}
