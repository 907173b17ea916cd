// The `layers/imports` rule: every import is checked against one table of layers (eslint.config.js),
// the way VS Code's `code-import-patterns` does it. A relative import is resolved to the folder it
// lands in, so `../sim` from electron/core is caught while electron/core/fleet's own files are not;
// a package import is checked against what the layer's runtime can load (Node, Electron, or neither).
import path from 'node:path';
import { isBuiltin } from 'node:module';

const ELECTRON_PACKAGES = /^(electron|electron-store|@electron\/[^/]+)(\/|$)/;
const EXTENSION = /\.(ts|tsx|mts|cts|js|mjs|cjs|jsx)$/;

const toPosix = (p) => p.split(path.sep).join('/');

/** The layer a repo-relative path belongs to: the longest matching folder of the table. */
function layerOf(relative, names) {
  let best;
  for (const name of names) {
    if ((relative === name || relative.startsWith(`${name}/`)) && (!best || name.length > best.length)) best = name;
  }
  return best;
}

/** `import type …`, `import { type A, type B } …`, `export type … from`: erased before anything runs. */
function isTypeOnly(node) {
  if (node.importKind === 'type' || node.exportKind === 'type') return true;
  const specifiers = node.specifiers ?? [];
  return specifiers.length > 0 && specifiers.every((s) => s.importKind === 'type' || s.exportKind === 'type');
}

/** @type {import('eslint').Rule.RuleModule} */
export const importLayersRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Each layer imports only the layers below it (the table in eslint.config.js).' },
    schema: [{ type: 'object', additionalProperties: true }],
  },
  create(context) {
    const { root, layers } = context.options[0];
    const names = Object.keys(layers);
    const fileRelative = toPosix(path.relative(root, context.filename));
    const from = layerOf(fileRelative, names);
    if (!from) return {};
    const rule = layers[from];

    const check = (node, source) => {
      if (typeof source !== 'string') return;
      const report = (message) => context.report({ node, message: `${from} may not import "${source}": ${message}` });

      if (source.startsWith('.')) {
        const target = toPosix(path.relative(root, path.resolve(path.dirname(context.filename), source)));
        const to = layerOf(target, names);
        if (!to || to === from) return;
        if (rule.may !== '*' && !rule.may.includes(to)) {
          report(`${to} is not below it. ${from} may import ${rule.may.length ? rule.may.join(', ') : 'nothing else in the project'}. ${rule.why}`);
          return;
        }
        const typesOnly = rule.typesOnly ?? [];
        if (typesOnly.includes(target.replace(EXTENSION, '')) && !isTypeOnly(node)) {
          report(`only its types may be imported here (its values would be bundled). ${rule.why}`);
        }
        return;
      }
      if (ELECTRON_PACKAGES.test(source)) {
        if (!rule.electron) report('only electron/main and electron/preload import electron: the rest runs in plain Node or a browser.');
        return;
      }
      if (isBuiltin(source)) {
        if (rule.node === false) report(`${from} runs where Node modules do not exist. ${rule.why}`);
        return;
      }
      if (rule.packages && !rule.packages.includes(source)) report(`${from} may import only the packages ${JSON.stringify(rule.packages)}. ${rule.why}`);
    };

    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
      'CallExpression[callee.name="require"]': (node) => node.arguments[0]?.type === 'Literal' && check(node, node.arguments[0].value),
    };
  },
};

export const layersPlugin = { rules: { imports: importLayersRule } };
