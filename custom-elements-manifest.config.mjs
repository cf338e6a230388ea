/**
 * `cem analyze`: `custom-elements.json` as the package ships it, for editors and catalogues. The
 * tag comes from `define.ts`; module paths name the built files in `dist/` (the package has no
 * `src/`); private members, which no user can reach, and type-only exports, which no JavaScript
 * module holds, are left out.
 */
import { posix } from 'node:path';

/** Where the module a reference names (`./element/events.js` from `src/amazonpay-dqr.ts`) is in the package. */
function shipped(reference, from) {
  const path = reference.startsWith('.') ? posix.join(posix.dirname(from), reference) : reference.replace(/^\//, '');
  return path.replace(/^src\/(.*)\.[jt]s$/, 'dist/$1.js');
}

function describeThePackage() {
  /** Names each source module exports with `export type`, by module path. */
  const typeOnly = new Map();
  const relink = (node, from) => {
    if (Array.isArray(node)) return node.forEach((item) => relink(item, from));
    if (typeof node !== 'object' || node === null) return;
    for (const [key, value] of Object.entries(node)) {
      if ((key === 'path' || key === 'module') && typeof value === 'string') node[key] = shipped(value, from);
      else relink(value, from);
    }
    if (Array.isArray(node.members)) {
      node.members = node.members.filter((member) => member.privacy !== 'private' && !member.name.startsWith('#'));
    }
  };
  return {
    name: 'describe-the-package',
    analyzePhase({ ts, node, moduleDoc }) {
      if (!ts.isExportDeclaration(node) || !node.exportClause || !ts.isNamedExports(node.exportClause)) return;
      const names = typeOnly.get(moduleDoc.path) ?? new Set();
      for (const element of node.exportClause.elements) {
        if (node.isTypeOnly || element.isTypeOnly) names.add(element.name.text);
      }
      typeOnly.set(moduleDoc.path, names);
    },
    packageLinkPhase({ customElementsManifest }) {
      for (const module of customElementsManifest.modules) {
        const types = typeOnly.get(module.path);
        if (types) module.exports = module.exports?.filter((entry) => !types.has(entry.name));
        relink(module, module.path);
      }
    },
  };
}

export default {
  globs: ['src/amazonpay-dqr.ts', 'src/define.ts', 'src/view/events.ts', 'src/session/outcome.ts'],
  litelement: true,
  plugins: [describeThePackage()],
};
