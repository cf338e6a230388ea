/**
 * Part of `npm run lint`: checks the packed tarball, not the source. `publint --strict` (the
 * manifest's fields and files), `@arethetypeswrong/cli` (each entry point's types as TypeScript
 * resolves them), `custom-elements.json` against the README's tables, and every relative link of
 * the README and the docs against the files in the tarball (the registry page shows the README).
 */
import { execFile } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';
import { promisify } from 'node:util';
import { pack } from './pack.js';

const run = promisify(execFile);
const bin = (name: string) => new URL(`../node_modules/.bin/${name}`, import.meta.url).pathname;
const problems: string[] = [];

const packed = await pack();
const inTarball = new Set(packed.files);
try {
  await tool('publint', [bin('publint'), 'run', '--strict', packed.tarball]);
  await tool('attw', [
    bin('attw'),
    packed.tarball,
    // The package is ES modules only (`"type": "module"`, Node 20 and later): no CommonJS entry,
    // so neither `require()` nor node10's resolution (without `exports`) apply.
    '--profile',
    'esm-only',
    // attw skips wildcard entries: one language module, checked by name. (`./standalone/*` holds
    // the files `<script src>` pages serve, not modules to import: they have no types to find.)
    '--include-entrypoints',
    './lang/hi',
    '--format',
    'table-flipped',
    '--no-color',
  ]);
  await checkManifest(JSON.parse(await readFile(join(packed.folder, 'custom-elements.json'), 'utf8')) as Manifest);
  for (const document of packed.files.filter((file) => file.endsWith('.md'))) {
    checkLinks(document, await readFile(join(packed.folder, document), 'utf8'));
  }
} finally {
  await rm(dirname(packed.folder), { recursive: true, force: true });
}

if (problems.length > 0) {
  console.error(`The packed package has ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  process.exitCode = 1;
} else {
  console.log(`The packed package (${packed.files.length} files) passes publint, attw, the manifest and link checks.`);
}

/** Runs a checker on the tarball; its report is a problem when it fails. */
async function tool(name: string, [command, ...args]: string[]): Promise<void> {
  try {
    await run(command!, args, { maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    problems.push(`${name} failed:\n${stdout}${stderr}`);
  }
}

interface Named {
  name: string;
}
interface Declaration extends Named {
  tagName?: string;
  attributes?: Named[];
  events?: Named[];
  slots?: Named[];
  cssParts?: Named[];
  cssProperties?: Named[];
  members?: (Named & { privacy?: string; static?: boolean })[];
}
interface Manifest {
  modules: { path: string; declarations?: Declaration[] }[];
}

/**
 * What editors and catalogues read: the tag, its attributes (`status` among them), events, slots,
 * parts and custom properties, exactly those the README documents; no private member; and every
 * module the manifest names is a file of the package.
 */
async function checkManifest(manifest: Manifest): Promise<void> {
  const element = manifest.modules.flatMap((module) => module.declarations ?? []).find((d) => d.tagName);
  if (element?.tagName !== 'amazonpay-dqr') {
    problems.push('custom-elements.json names no <amazonpay-dqr> tag.');
    return;
  }
  const readme = await readFile(join(packed.folder, 'README.md'), 'utf8');
  const documented = (heading: string, column = 0) =>
    tableUnder(readme, heading)
      .map((row) => /^`([^`]+)`/.exec(row[column] ?? '')?.[1])
      .filter((name): name is string => name !== undefined);
  // Rows with an attribute and a property; `lang` is every element's own attribute.
  const attributes = tableUnder(readme, '### Attributes and properties')
    .filter((row) => /`/.test(row[0] ?? '') && /`/.test(row[1] ?? ''))
    .map((row) => /`([^`]+)`/.exec(row[0]!)![1]!);
  const compare = (what: string, listed: Named[] | undefined, expected: string[]) => {
    const names = (listed ?? []).map((item) => item.name).sort();
    const want = [...expected].sort();
    if (names.join() !== want.join()) {
      problems.push(`custom-elements.json ${what}: ${names.join(', ')}; the README documents ${want.join(', ')}.`);
    }
  };
  compare('attributes', element.attributes, attributes);
  compare('events', element.events, documented('### Events'));
  compare('slots', element.slots, documented('### Slots'));
  compare('parts', element.cssParts, documented('### Parts'));
  compare('custom properties', element.cssProperties, documented('### Custom properties'));
  const hidden = (element.members ?? []).filter(
    (member) => member.privacy === 'private' || member.privacy === 'protected',
  );
  if (hidden.length > 0) {
    problems.push(`custom-elements.json lists members no user can reach: ${hidden.map((m) => m.name).join(', ')}.`);
  }
  const modules: string[] = [];
  JSON.stringify(manifest, (key, value: unknown) => {
    if ((key === 'path' || key === 'module') && typeof value === 'string') modules.push(value);
    return value;
  });
  for (const module of new Set(modules)) {
    if (!inTarball.has(module)) problems.push(`custom-elements.json names ${module}, which is not in the package.`);
  }
}

/** The body rows of the first Markdown table after `heading`, as trimmed cells. */
function tableUnder(markdown: string, heading: string): string[][] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => line.trim() === heading);
  if (start < 0) throw new Error(`README.md has no "${heading}" section.`);
  const table = lines.slice(start + 1).findIndex((line) => line.startsWith('|'));
  const rows: string[][] = [];
  for (const line of lines.slice(start + 1 + table)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim()),
    );
  }
  // The header and the line of dashes.
  return rows.slice(2);
}

/** Every relative link (and image) of a Markdown file in the package names a file of the package. */
function checkLinks(document: string, markdown: string): void {
  const prose = markdown.replace(/^```[\s\S]*?^```/gm, '');
  for (const [, target] of prose.matchAll(/\]\(([^)\s]+)\)/g)) {
    if (/^[a-z][a-z+.-]*:/i.test(target!) || target!.startsWith('#')) continue;
    const file = posix.normalize(posix.join(posix.dirname(document), target!.replace(/#.*$/, '')));
    if (!inTarball.has(file)) problems.push(`${document} links to ${target}, which is not in the package.`);
  }
}
