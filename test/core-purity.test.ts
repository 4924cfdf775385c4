// The core (src/ except src/cli/) runs on Web APIs only: no Node built-ins, no Node globals, no CommonJS, and the
// package has no runtime dependencies. Files are read through the TypeScript parser, so words in comments and
// strings ("the signing process") are not mistaken for uses.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const srcDir = join(root, 'src');

function listSources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (relative(srcDir, path) !== 'cli') out.push(...listSources(path));
    } else if (/\.(?:[cm]?[jt]sx?)$/.test(name)) {
      out.push(path);
    }
  }
  return out;
}

const NODE_GLOBALS = new Set([
  'Buffer',
  'process',
  'require',
  '__dirname',
  '__filename',
  'global',
  'setImmediate',
  'module',
  'exports',
]);

/** Every Node-only use in a source text, as `line: what`. */
export function findNodeUses(fileName: string, text: string): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true);
  const found: string[] = [];
  const report = (node: ts.Node, what: string): void => {
    found.push(`${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}: ${what}`);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteralLike(node) && /^node:/.test(node.text)) report(node, `"${node.text}"`);
    // Module specifiers of Node built-ins without the node: prefix.
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      if (!/^\.\.?\//.test(node.moduleSpecifier.text))
        report(node, `import of "${node.moduleSpecifier.text}" (the core imports only its own files)`);
    }
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword)
      report(node, 'dynamic import()');
    if (ts.isIdentifier(node) && NODE_GLOBALS.has(node.text)) {
      // A property name (x.process, { process: … }) is not the global.
      const parent = node.parent;
      const isPropertyName =
        (ts.isPropertyAccessExpression(parent) && parent.name === node) ||
        (ts.isPropertyAssignment(parent) && parent.name === node) ||
        (ts.isPropertyDeclaration(parent) && parent.name === node) ||
        (ts.isPropertySignature(parent) && parent.name === node) ||
        (ts.isMethodDeclaration(parent) && parent.name === node);
      // `declare global { … }` (src/core/web-globals.ts) names the global scope, not Node's `global` object.
      const isGlobalAugmentation = ts.isModuleDeclaration(parent) && parent.name === node && node.text === 'global';
      if (!isPropertyName && !isGlobalAugmentation) report(node, node.text);
    }
    if (
      ts.isPropertyAccessExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === 'globalThis'
    ) {
      if (NODE_GLOBALS.has(node.name.text)) report(node, `globalThis.${node.name.text}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('core purity', () => {
  const files = listSources(srcDir);

  it('finds the core sources', () => {
    const names = files.map((f) => relative(srcDir, f));
    expect(names).toEqual(
      expect.arrayContaining([
        'index.ts',
        'lite.ts',
        'core/webcrypto.ts',
        'core/encoding.ts',
        'sign/presign.ts',
        'verify/claim.ts',
        'post/verify.ts',
      ]),
    );
    expect(names.some((n) => n.startsWith('cli/'))).toBe(false); // the folder: client/ is core
    expect(names).toContain('client/client.ts');
  });

  it('the scanner catches each kind of Node use and ignores comments, strings and property names', () => {
    const bad = [
      "import { createHash } from 'node:crypto';",
      "import fs from 'fs';",
      "export * from 'node:path';",
      "const m = await import('node:os');",
      "const b = Buffer.from('x');",
      "const env = process.env['A'];",
      "const x = require('y');",
      'const d = __dirname;',
      'const g = globalThis.process;',
      'const t = global.setTimeout;',
    ];
    for (const line of bad) expect(findNodeUses('bad.ts', line).length, line).toBeGreaterThan(0);
    const fine = [
      '// Task 1 of the SigV4 signing process: Buffer, require( and __dirname in a comment',
      "const s = 'the signing process uses no Buffer';",
      "import { x } from './encoding.js';",
      'const o = { process: 1 }; o.process = 2;',
      'class A { process(): void {} }',
      'declare global { interface URL {} }',
    ];
    for (const line of fine) expect(findNodeUses('fine.ts', line), line).toEqual([]);
  });

  it.each(listSources(srcDir).map((f) => [relative(srcDir, f), f]))(
    '%s uses no Node built-in, Node global or require',
    (_, path) => {
      const text = readFileSync(path, 'utf8');
      expect(findNodeUses(path, text)).toEqual([]);
      // Belt and braces on the raw text (comments included) for the patterns that never belong in the core.
      expect(text).not.toMatch(/\bfrom\s+['"]node:|\brequire\(|\b__dirname\b|\b__filename\b/);
    },
  );

  it('package.json has no runtime dependencies', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
    for (const field of [
      'dependencies',
      'peerDependencies',
      'optionalDependencies',
      'bundledDependencies',
      'bundleDependencies',
    ]) {
      const value = pkg[field];
      expect(
        value === undefined || (typeof value === 'object' && value !== null && Object.keys(value).length === 0),
        field,
      ).toBe(true);
    }
    expect(pkg['devDependencies']).toBeTypeOf('object');
  });
});
