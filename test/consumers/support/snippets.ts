/** The fenced code blocks of the README and the docs, as a reader copies them. */
import { readdir, readFile } from 'node:fs/promises';

/** One fenced block: where it starts, its language and its code, without the list's indentation. */
export interface Block {
  file: string;
  line: number;
  lang: string;
  code: string;
}

const root = new URL('../../../', import.meta.url);

/** The Markdown files a user reads: the README and every file of `docs/`, in that order. */
export async function documents(): Promise<string[]> {
  const docs = (await readdir(new URL('docs/', root))).filter((name) => name.endsWith('.md')).sort();
  return ['README.md', ...docs.map((name) => `docs/${name}`)];
}

/** Every fenced block of `file`, in order. A fence indented in a list item dedents its block. */
export async function codeBlocks(file: string): Promise<Block[]> {
  const lines = (await readFile(new URL(file, root), 'utf8')).split('\n');
  const blocks: Block[] = [];
  for (let index = 0; index < lines.length; index++) {
    const open = /^( *)```(\w*)\s*$/.exec(lines[index]!);
    if (!open) continue;
    const indent = open[1]!.length;
    const body: string[] = [];
    const start = index;
    while (++index < lines.length && lines[index]!.trim() !== '```') body.push(lines[index]!.slice(indent));
    blocks.push({ file, line: start + 1, lang: open[2]!, code: body.join('\n') });
  }
  return blocks;
}

/** `http://127.0.0.1:8787`, where the examples expect the backend, moved to `origin`. */
export function aimedAt(code: string, origin: string): string {
  return code.replaceAll(/http:\/\/(127\.0\.0\.1|localhost):8787/g, origin);
}
