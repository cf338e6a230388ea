import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { CHROME_ARGS, findChrome } from './scripts/find-chrome.mjs';

const msw = fileURLToPath(new URL('./node_modules/msw/lib/mockServiceWorker.js', import.meta.url));

/**
 * The names a CommonJS file exports, as Node sees them: listed in a process of its own, since
 * loading React's development build patches the console of whatever process loads it.
 */
async function exportNames(file) {
  // Exits at once: some (React's server renderer) leave a handle open that would keep it alive.
  const list = 'console.log(JSON.stringify(Object.keys(require(process.argv[1])))); process.exit()';
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', list, file], {
    env: { ...process.env, NODE_ENV: 'development' },
  });
  return JSON.parse(stdout);
}

/**
 * Serves packages that ship CommonJS only (qrcode, React) as ES modules: each file the page imports
 * from one of them is pre-bundled by esbuild, with the named exports Node sees on it. A require of
 * another listed package stays an import, so the page holds one copy of each (one React). React's
 * development build is used: its warnings reach the console, where the tests look for them.
 * The files of a `shared` folder are bundled together, once: each has one instance per page, as
 * in a build (qrcode's parts compare the objects they export to each other).
 */
function commonJsAsEsm(packages, shared = []) {
  const pattern = new RegExp(`/node_modules/(${packages.join('|')})/.+\\.js$`);
  const listed = new RegExp(`^(${packages.join('|')})(/|$)`);
  const bundled = new Map();
  const sharedFolders = shared.map((folder) => fileURLToPath(new URL(`./node_modules/${folder}`, import.meta.url)));
  /** `import module from …` for `file`: the file itself, or its entry in its shared folder's bundle. */
  const source = (file) => {
    const folder = dirname(file);
    if (!sharedFolders.includes(folder)) return `import module from ${JSON.stringify(file)};`;
    const url = `/${folder.slice(fileURLToPath(new URL('.', import.meta.url)).length)}/shared-commonjs.js`;
    return `import { modules } from ${JSON.stringify(url)}; const module = modules[${JSON.stringify(basename(file))}];`;
  };
  const bundleFolder = (folder) => {
    const files = readdirSync(folder).filter((name) => name.endsWith('.js'));
    return build({
      stdin: {
        contents: [
          ...files.map((name, i) => `import m${i} from ${JSON.stringify(`./${name}`)};`),
          `export const modules = { ${files.map((name, i) => `${JSON.stringify(name)}: m${i}`).join(', ')} };`,
        ].join('\n'),
        resolveDir: folder,
      },
      bundle: true,
      format: 'esm',
      platform: 'browser',
      write: false,
    }).then((result) => result.outputFiles[0].text);
  };
  const bundle = async (file) => {
    if (basename(file) === 'shared-commonjs.js') return bundleFolder(dirname(file));
    const names = (await exportNames(file)).filter((name) => name !== 'default' && /^[A-Za-z_$][\w$]*$/.test(name));
    return build({
      stdin: {
        contents: [
          source(file),
          'export default module;',
          names.length ? `export const { ${names.join(', ')} } = module;` : '',
        ].join('\n'),
        resolveDir: dirname(file),
      },
      bundle: true,
      external: ['*/shared-commonjs.js'],
      format: 'esm',
      platform: 'browser',
      define: { 'process.env.NODE_ENV': '"development"' },
      write: false,
      plugins: [
        {
          name: 'listed-packages-as-imports',
          setup(esbuild) {
            esbuild.onResolve({ filter: listed }, ({ path, kind }) =>
              kind === 'require-call' ? { path, namespace: 'as-import' } : { path, external: true },
            );
            esbuild.onLoad({ filter: /.*/, namespace: 'as-import' }, ({ path }) => ({
              contents: `export * from ${JSON.stringify(path)}; export { default } from ${JSON.stringify(path)};`,
            }));
          },
        },
      ],
    }).then((result) => result.outputFiles[0].text);
  };
  return {
    name: 'commonjs-as-esm',
    async serve(context) {
      if (!pattern.test(context.path)) return undefined;
      const file = fileURLToPath(new URL(`.${context.path}`, import.meta.url));
      if (!bundled.has(file)) bundled.set(file, bundle(file));
      return { body: await bundled.get(file), type: 'js' };
    },
  };
}

/** msw's service worker must be served from the site root. */
function mswWorker() {
  return {
    name: 'msw-worker',
    serve(context) {
      if (context.path === '/mockServiceWorker.js') {
        return import('node:fs/promises').then((fs) => fs.readFile(msw, 'utf8')).then((body) => ({ body, type: 'js' }));
      }
      return undefined;
    },
  };
}

export default {
  files: ['test/element/**/*.test.ts'],
  nodeResolve: { browser: true, exportConditions: ['browser', 'development'] },
  concurrency: 1,
  testFramework: { config: { timeout: 10000 } },
  plugins: [
    commonJsAsEsm(['qrcode', 'react', 'react-dom'], ['qrcode/lib/core']),
    mswWorker(),
    esbuildPlugin({ ts: true, tsconfig: fileURLToPath(new URL('./tsconfig.json', import.meta.url)), target: 'es2022' }),
  ],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: findChrome(),
        headless: true,
        args: CHROME_ARGS,
      },
    }),
  ],
};
