import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { startBackendChild } from './support/backend-child.js';
import { tableRows } from './support/configuration-table.js';
import { freePort } from './support/redis.js';

/**
 * docs/deploy.md as an operator copies it: its Dockerfile, `docker run` line and Kubernetes
 * snippet name only what exists. No Docker engine runs here, so what can be checked without one is.
 */
const GUIDE = readFileSync(new URL('../../docs/deploy.md', import.meta.url), 'utf8');
const PACKAGE = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  name: string;
  bin: Record<string, string>;
  files: string[];
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
};

/** The text of each fenced block of `language` in the guide. */
function blocks(language: string): string[] {
  return [...GUIDE.matchAll(new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``, 'g'))].map(([, text]) => text);
}

const [DOCKERFILE] = blocks('dockerfile');
/** One instruction per entry, its continuation lines joined. */
const instructions = DOCKERFILE.replace(/\\\n/g, ' ')
  .split('\n')
  .filter((line) => line.trim() !== '' && !line.startsWith('#'));
const instruction = (name: string) => instructions.find((line) => line.startsWith(`${name} `))!.slice(name.length + 1);
/** `ENV A=1 B=2` as an object. */
const imageEnv = Object.fromEntries(
  [...instruction('ENV').matchAll(/([A-Z_][A-Z0-9_]*)=(\S+)/g)].map(([, name, value]) => [name, value]),
);
const exec = promisify(execFile);

describe('the deployment guide', () => {
  it("starts what the package ships: the CMD is amazonpay-dqr-backend, within the package's files", () => {
    const [, script] = JSON.parse(instruction('CMD')) as string[];
    const prefix = `node_modules/${PACKAGE.name}/`;
    assert.ok(script.startsWith(prefix), script);
    const inPackage = script.slice(prefix.length);
    assert.equal(`./${inPackage}`, PACKAGE.bin['amazonpay-dqr-backend']);
    const published = PACKAGE.files.map(
      (glob) => new RegExp(`^${glob.replace(/\./g, '\\.').replace(/\*\*\/\*/g, '.*')}$`),
    );
    assert.ok(
      published.some((pattern) => pattern.test(inPackage)),
      `${inPackage} is in the package's files`,
    );
  });

  it('installs the packages the package names, at their major versions', () => {
    const installed = [...instruction('RUN').matchAll(/\s((?:@[\w-]+\/)?[\w.-]+)@(\d+)(?:\.[\d.]+)?\b/g)];
    assert.ok(installed.some(([, name]) => name === PACKAGE.name));
    for (const [, name, major] of installed.filter(([, name]) => name !== PACKAGE.name)) {
      const range = PACKAGE.dependencies[name] ?? PACKAGE.peerDependencies[name];
      assert.ok(range, `${name} is a dependency or peer of the package`);
      assert.match(range, new RegExp(`^\\^${major}\\.`), `${name}@${major} against ${range}`);
    }
  });

  it('sets only settings of the configuration table, in the image, the docker run line and Kubernetes', () => {
    const settings = new Set(tableRows().flatMap(({ names }) => names));
    const named = [
      ...Object.keys(imageEnv),
      ...blocks('sh').flatMap((text) => [...text.matchAll(/-e ([A-Z_][A-Z0-9_]*)=/g)].map(([, name]) => name)),
      ...blocks('yaml').flatMap((text) => [...text.matchAll(/name: ([A-Z_][A-Z0-9_]*)\b/g)].map(([, name]) => name)),
    ];
    assert.ok(named.length > 10);
    assert.deepEqual(
      named.filter((name) => !settings.has(name)),
      [],
    );
    assert.equal(imageEnv.HOST, '0.0.0.0', 'a container listens beyond its own loopback');
    assert.equal(instruction('USER'), 'node', 'not root');
    assert.equal(instruction('VOLUME'), imageEnv.DQR_SQLITE_PATH.slice(0, imageEnv.DQR_SQLITE_PATH.lastIndexOf('/')));
  });

  it("runs the HEALTHCHECK as written: it passes against the backend on the image's PORT, and fails without one", async () => {
    const [command, ...args] = JSON.parse(instruction('HEALTHCHECK').replace(/^.*?CMD /, '')) as string[];
    assert.equal(command, 'node');
    const port = String(await freePort());
    const check = () => exec(process.execPath, args, { env: { PORT: port } });
    await assert.rejects(check(), 'nothing listens yet');
    const backend = await startBackendChild({ PORT: port });
    try {
      await check();
    } finally {
      backend.signal('SIGTERM');
      assert.equal(await backend.exited, 0);
    }
  });
});
