/**
 * Bytes a page downloads: the self-registering file and the ESM build bundled with its
 * dependencies (what an app's bundler ships first; each language besides English is a chunk of its
 * own, loaded only by a page in that language), gzip and brotli, against an empty Lit element
 * bundled the same way; the largest language and feature files; and where the first bundle's bytes go, by
 * origin. Reads `dist/` (run the build first).
 */
import { readFile } from 'node:fs/promises';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import { FEATURES, LANGUAGES } from '../src/lazy/names.js';
import type { Figure, Section } from './measure.js';

const root = new URL('../', import.meta.url);

/** gzip -9 and brotli (quality 11) sizes, as a CDN serves them. */
function compressed(bytes: Uint8Array): { gzip: number; brotli: number } {
  return {
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

type Inputs = Metafile['outputs'][string]['inputs'];

/**
 * A minified ESM bundle of `contents` (resolved from the project root), split as a bundler splits
 * it: what a page loads first (the entry chunk and the chunks it imports statically, joined), with
 * what went into it. Chunks loaded by `import()` only are left out.
 */
async function bundle(contents: string): Promise<{ bytes: Uint8Array; inputs: Inputs }> {
  const result = await build({
    stdin: { contents, resolveDir: root.pathname, loader: 'js' },
    bundle: true,
    splitting: true,
    minify: true,
    format: 'esm',
    target: 'es2021',
    write: false,
    metafile: true,
    outdir: 'bundle',
    charset: 'utf8',
    logLevel: 'silent',
  });
  const { outputs } = result.metafile;
  const loaded = new Set<string>();
  const load = (path: string): void => {
    if (loaded.has(path)) return;
    loaded.add(path);
    for (const { path: imported, kind } of outputs[path].imports) if (kind === 'import-statement') load(imported);
  };
  load(Object.keys(outputs).find((path) => outputs[path].entryPoint === '<stdin>')!);
  const files = result.outputFiles.filter((file) => [...loaded].some((path) => file.path.endsWith(`/${path}`)));
  return {
    bytes: Buffer.concat(files.map((file) => file.contents)),
    inputs: Object.assign({}, ...[...loaded].map((path) => outputs[path].inputs)) as Inputs,
  };
}

/** Minified bytes of what loads first, by origin: Lit, qrcode's parts, the element with its English copy. */
function origins(inputs: Inputs): Map<string, number> {
  const groups = new Map<string, number>();
  for (const [path, { bytesInOutput }] of Object.entries(inputs)) {
    const group = /node_modules\/(@lit\/reactive-element|lit-html|lit-element|lit)\//.test(path)
      ? 'Lit'
      : /node_modules\/qrcode\//.test(path)
        ? "qrcode's encoder"
        : 'element code, styles and English copy';
    groups.set(group, (groups.get(group) ?? 0) + bytesInOutput);
  }
  return groups;
}

/** The largest of `files` (paths from the project root) by gzip size, and that size. */
async function largestGzip(files: readonly string[]): Promise<{ file: string; gzip: number }> {
  const sizes = await Promise.all(
    files.map(async (file) => ({ file, gzip: compressed(await readFile(new URL(file, root))).gzip })),
  );
  return sizes.reduce((a, b) => (b.gzip > a.gzip ? b : a));
}

/** Measures the sizes; the files come from `npm run build`. */
export async function run(): Promise<Section> {
  const standalone = await readFile(new URL('dist/standalone/amazonpay-dqr.min.js', root));
  const largestLanguage = await largestGzip(LANGUAGES.map((code) => `dist/standalone/lang/${code}.js`));
  const largestFeature = await largestGzip(FEATURES.map((name) => `dist/standalone/features/${name}.js`));
  const esm = await bundle(`export * from './dist/amazonpay-dqr.js';`);
  const empty = await bundle(
    `import { LitElement, html } from 'lit';
     customElements.define('empty-element', class extends LitElement { render() { return html\`<p></p>\`; } });`,
  );
  const sizes = { standalone: compressed(standalone), esm: compressed(esm.bytes), empty: compressed(empty.bytes) };
  const figures: Figure[] = [];
  for (const method of ['gzip', 'brotli'] as const) {
    const baseline = { name: `empty Lit element, ${method}`, value: sizes.empty[method] };
    figures.push(
      { name: `dist/standalone/amazonpay-dqr.min.js, ${method}`, value: sizes.standalone[method], unit: 'B', baseline },
      {
        name: `ESM build + lit + qrcode (esbuild, minified, loaded first), ${method}`,
        value: sizes.esm[method],
        unit: 'B',
        baseline,
      },
    );
  }
  for (const [kind, { file, gzip }, note] of [
    ['language', largestLanguage, 'fetched only by a page in that language'],
    ['feature', largestFeature, 'fetched only by an element that uses the feature'],
  ] as const) {
    figures.push({
      name: `largest ${kind} file, ${file}, gzip`,
      value: gzip,
      unit: 'B',
      baseline: { name: 'dist/standalone/amazonpay-dqr.min.js, gzip', value: sizes.standalone.gzip },
      note,
    });
  }
  const total = esm.bytes.length;
  for (const [group, bytes] of [...origins(esm.inputs)].sort((a, b) => b[1] - a[1])) {
    figures.push({
      name: `of the ESM bundle: ${group}`,
      value: bytes,
      unit: 'B minified',
      baseline: { name: 'ESM bundle loaded first, minified', value: total },
    });
  }
  return { title: 'Size', figures };
}
