/** The README's configuration table, as the tests that hold code and docs to it read it. */
import { readFileSync } from 'node:fs';

const README = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

/** Each row of the README's configuration table: the variables its first cell names, and its cells. */
export function tableRows() {
  const section = README.slice(README.indexOf('### Configuration'));
  const table = section
    .slice(0, section.search(/\n\n(?!\|)/))
    .split('\n')
    .filter((line) => line.startsWith('| `'));
  return table.map((line) => {
    const cells = line
      .split(/(?<!\\)\|/)
      .slice(1, -1)
      .map((cell) => cell.trim());
    return { names: [...cells[0].matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map(([, name]) => name), cells };
  });
}
