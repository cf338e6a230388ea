/**
 * Bytes a page downloads: the self-registering file and the ESM build bundled with its
 * dependencies (what an app's bundler ships), gzip and brotli, against an empty Lit element bundled
 * the same way; and where the ESM bundle's bytes go, by origin. Reads `dist/` (run the build first).
 */
import { readFile } from 'node:fs/promises';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import type { Figure, Section } from './measure.js';

const root = new URL('../', import.meta.url);

/** gzip -9 and brotli (quality 11) sizes, as a CDN serves them. */
function compressed(bytes: Uint8Array): { gzip: number; brotli: number } {
  return {
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

/** A minified ESM bundle of `contents` (resolved from the project root), with its metafile. */
async function bundle(contents: string): Promise<{ bytes: Uint8Array; metafile: Metafile }> {
  const result = await build({
    stdin: { contents, resolveDir: root.pathname, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2021',
    write: false,
    metafile: true,
    outfile: 'bundle.js',
    charset: 'utf8',
    logLevel: 'silent',
  });
  return { bytes: result.outputFiles[0].contents, metafile: result.metafile };
}

/** Minified bytes of the bundle by origin: Lit, qrcode's encoder, the copy in each language, the rest. */
function origins(metafile: Metafile): Map<string, number> {
  const groups = new Map<string, number>();
  const inputs = Object.values(metafile.outputs)[0].inputs;
  for (const [path, { bytesInOutput }] of Object.entries(inputs)) {
    const group = /node_modules\/(@lit\/reactive-element|lit-html|lit-element|lit)\//.test(path)
      ? 'Lit'
      : /node_modules\/(qrcode|dijkstrajs)\//.test(path)
        ? 'qrcode encoder'
        : /element\/copy\/(?!en\.|copy\.|languages\.)/.test(path)
          ? 'copy in 7 Indian languages'
          : 'element code, styles and English copy';
    groups.set(group, (groups.get(group) ?? 0) + bytesInOutput);
  }
  return groups;
}

/** Measures the sizes; the files come from `npm run build`. */
export async function run(): Promise<Section> {
  const standalone = await readFile(new URL('dist/amazonpay-dqr.min.js', root));
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
      { name: `dist/amazonpay-dqr.min.js, ${method}`, value: sizes.standalone[method], unit: 'B', baseline },
      {
        name: `ESM build + lit + qrcode (esbuild, minified), ${method}`,
        value: sizes.esm[method],
        unit: 'B',
        baseline,
      },
    );
  }
  const total = esm.bytes.length;
  for (const [group, bytes] of [...origins(esm.metafile)].sort((a, b) => b[1] - a[1])) {
    figures.push({
      name: `of the ESM bundle: ${group}`,
      value: bytes,
      unit: 'B minified',
      baseline: { name: 'whole ESM bundle, minified', value: total },
    });
  }
  return { title: 'Size', figures };
}
