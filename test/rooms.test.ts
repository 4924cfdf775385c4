// The rooms of src/ and the one way imports flow between them: core ← sign / verify / post ← index ← cli, and lite
// on core alone. stream (aws-chunked bodies and their checksums, issue 15) stands on core; verify uses it to hand
// back a verified body. Read through the TypeScript parser, so an import in a comment or a string does not count.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const srcDir = resolve(fileURLToPath(new URL('../src', import.meta.url)));

function listSources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...listSources(path));
    else if (name.endsWith('.ts')) out.push(path);
  }
  return out;
}

/** The relative imports and re-exports of a source text, resolved to paths under src/ (`core/url.ts`). */
export function importsOf(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, false);
  const found: string[] = [];
  for (const node of source.statements) {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      const spec = node.moduleSpecifier.text;
      if (spec.startsWith('.')) found.push(relative(srcDir, resolve(dirname(file), spec)).replace(/\.js$/, '.ts'));
      else found.push(spec);
    }
  }
  return found;
}

const room = (path: string): string => (path.includes('/') ? path.slice(0, path.indexOf('/')) : path);

/**
 * What each room may import, besides its own files. `post` shares the verifiers' common checks (clock, scope,
 * lookup, session token) and their public types; `verify` decodes an aws-chunked body with `stream`, which the
 * signers do not need (a caller frames the body after signing); the command line imports the public entry, the
 * library's message quoting (so its messages escape text exactly as the library's do), and Node.
 */
export function allowed(from: string, to: string): boolean {
  if (to.startsWith('node:')) return room(from) === 'cli';
  if (!to.endsWith('.ts')) return false; // no package imports anywhere
  const [a, b] = [room(from), room(to)];
  if (a === b && a !== 'index.ts' && a !== 'lite.ts') return true;
  switch (a) {
    case 'core':
      return false;
    case 'sign':
    case 'stream':
      return b === 'core';
    case 'verify':
      return b === 'core' || b === 'stream';
    case 'post':
      return b === 'core' || to === 'verify/common.ts' || to === 'verify/types.ts';
    // S3 URLs (bucket and key as data) stand on core alone; the client signs with the signers.
    case 's3':
      return b === 'core';
    case 'client':
      return b === 'core' || b === 'sign';
    // Multipart upload (issue 18): the server side presigns each step with the signers and s3Url; the browser
    // uploader (the sigv4/upload entry) signs nothing and shares only the handler's JSON types with it.
    case 'multipart':
      return b === 'core' || b === 'sign' || b === 's3';
    case 'upload':
      return to === 'multipart/protocol.ts';
    case 'upload.ts':
      return b === 'upload' || to === 'multipart/protocol.ts' || to === 'core/web-globals.ts';
    case 'lite.ts':
      return b === 'core';
    case 'index.ts':
      return (
        b === 'core' ||
        b === 'sign' ||
        b === 'verify' ||
        b === 'post' ||
        b === 's3' ||
        b === 'client' ||
        b === 'stream' ||
        b === 'multipart'
      );
    case 'cli':
      return to === 'index.ts' || to === 'core/errors.ts';
    default:
      return false;
  }
}

describe('rooms', () => {
  const files = listSources(srcDir);

  it('finds every room', () => {
    const rooms = new Set(files.map((f) => room(relative(srcDir, f))));
    expect([...rooms].sort()).toEqual([
      'cli',
      'client',
      'core',
      'index.ts',
      'lite.ts',
      'multipart',
      'post',
      's3',
      'sign',
      'stream',
      'upload',
      'upload.ts',
      'verify',
    ]);
  });

  it('the rule refuses what it should', () => {
    expect(allowed('core/url.ts', 'sign/options.ts')).toBe(false);
    expect(allowed('sign/presign.ts', 'verify/read.ts')).toBe(false);
    expect(allowed('verify/claim.ts', 'sign/options.ts')).toBe(false);
    expect(allowed('verify/claim.ts', 'post/policy.ts')).toBe(false);
    expect(allowed('post/verify.ts', 'verify/read.ts')).toBe(false);
    expect(allowed('post/create.ts', 'sign/options.ts')).toBe(false);
    expect(allowed('lite.ts', 'sign/presign.ts')).toBe(false);
    expect(allowed('s3/url.ts', 'sign/presign.ts')).toBe(false);
    expect(allowed('client/client.ts', 's3/url.ts')).toBe(false);
    expect(allowed('client/client.ts', 'verify/read.ts')).toBe(false);
    expect(allowed('upload/upload.ts', 'sign/presign.ts')).toBe(false);
    expect(allowed('upload/upload.ts', 'core/errors.ts')).toBe(false);
    expect(allowed('upload/upload.ts', 'multipart/handler.ts')).toBe(false);
    expect(allowed('upload.ts', 'index.ts')).toBe(false);
    expect(allowed('multipart/handler.ts', 'verify/read.ts')).toBe(false);
    expect(allowed('multipart/handler.ts', 'upload/upload.ts')).toBe(false);
    expect(allowed('index.ts', 'cli/run.ts')).toBe(false);
    expect(allowed('cli/run.ts', 'sign/presign.ts')).toBe(false);
    expect(allowed('core/webcrypto.ts', 'node:crypto')).toBe(false);
    expect(allowed('stream/encode.ts', 'sign/types.ts')).toBe(false);
    expect(allowed('stream/decode.ts', 'verify/read.ts')).toBe(false);
    expect(allowed('sign/sign-request.ts', 'stream/encode.ts')).toBe(false);
    expect(allowed('core/check.ts', 'stream/checksum.ts')).toBe(false);
    expect(allowed('post/verify.ts', 'stream/decode.ts')).toBe(false);
    expect(allowed('lite.ts', 'stream/checksum.ts')).toBe(false);
    expect(allowed('verify/body.ts', 'stream/decode.ts')).toBe(true);
    expect(allowed('sign/sync.ts', 'some-package')).toBe(false);
    expect(
      importsOf(
        join(srcDir, 'sign/x.ts'),
        "// import { a } from '../verify/read.js';\nexport { b } from '../core/url.js';",
      ),
    ).toEqual(['core/url.ts']);
  });

  it.each(files.map((f) => [relative(srcDir, f), f]))('%s imports only what its room may', (from, path) => {
    const bad = importsOf(path, readFileSync(path, 'utf8')).filter((to) => !allowed(from, to));
    expect(bad).toEqual([]);
  });

  it('index.ts holds exports only', () => {
    const source = ts.createSourceFile(
      'index.ts',
      readFileSync(join(srcDir, 'index.ts'), 'utf8'),
      ts.ScriptTarget.ES2022,
      false,
    );
    expect(source.statements.filter((s) => !ts.isExportDeclaration(s)).map((s) => s.getText(source))).toEqual([]);
  });
});
