/**
 * The package as users get it: built, then packed by `npm pack` (the same files `npm publish`
 * uploads), and unpacked where a check can read it. The package checks and the consumer tests
 * test this tarball, never `src/`.
 */
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = new URL('..', import.meta.url).pathname;

/** The packed package: the tarball, its unpacked copy and the files it holds. */
export interface Packed {
  tarball: string;
  /** The tarball's `package/` folder, unpacked. */
  folder: string;
  files: string[];
}

/**
 * Builds the package and packs it into a new temporary folder; with `DQR_TEST_TARBALL` set, takes
 * that tarball instead (an older or a published version, to see what its users got).
 */
export async function pack(): Promise<Packed> {
  const into = await mkdtemp(join(tmpdir(), 'amazonpay-dqr-pack-'));
  let tarball = process.env.DQR_TEST_TARBALL;
  if (tarball) {
    tarball = resolve(tarball);
  } else {
    await run('npm', ['run', 'build', '--silent'], { cwd: root, maxBuffer: 64 * 1024 * 1024 });
    const { stdout } = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', into], {
      cwd: root,
    });
    tarball = join(into, (JSON.parse(stdout) as { filename: string }[])[0]!.filename);
  }
  await run('tar', ['-xzf', tarball, '-C', into]);
  const { stdout: listing } = await run('tar', ['-tzf', tarball]);
  const files = listing
    .split('\n')
    .filter((line) => line.startsWith('package/') && !line.endsWith('/'))
    .map((line) => line.slice('package/'.length));
  return { tarball, folder: join(into, 'package'), files };
}
