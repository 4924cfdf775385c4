// The README's TypeScript blocks type-check against src/ as they are written, with strict flags: each block
// becomes the body of an async function (its imports kept, `sigv4` mapped to src/index.ts), and the names the
// README leaves to the reader (credentials, env, file, …) are declared with the types a reader would have.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const index = fileURLToPath(new URL('../src/index.ts', import.meta.url));
const upload = fileURLToPath(new URL('../src/upload.ts', import.meta.url));

const GIVEN = `
declare const env: { AWS_ACCESS_KEY_ID: string; AWS_SECRET_ACCESS_KEY: string; CLIENT_SECRET: string };
type Env = typeof env;
declare const credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
declare const file: File;
declare const bar: HTMLProgressElement;
declare const request: Request;
declare const key: string;
declare const url: string;
declare const size: number;
declare const stream: ReadableStream<Uint8Array>;
declare function fetchTemporaryCredentials(): Promise<{
  accessKeyId: string; secretAccessKey: string; sessionToken: string; expiration: Date;
}>;
`;

// The sigv4 and sigv4/upload entries map to their sources.
const blocks = [...readme.matchAll(/```ts\n([^]*?)```/g)].map((m) => m[1]!);
const work = mkdtempSync(join(tmpdir(), 'sigv4-readme-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('README TypeScript blocks', () => {
  it('has the recipes', () => expect(blocks.length).toBeGreaterThanOrEqual(8));

  it('each type-checks against src/ (strict)', () => {
    const files = blocks.map((block, i) => {
      const lines = block.split('\n');
      const imports = lines
        .filter((l) => l.startsWith('import '))
        .map((l) =>
          l
            .replace("from 'sigv4'", `from ${JSON.stringify(index)}`)
            .replace("from 'sigv4/upload'", `from ${JSON.stringify(upload)}`),
        );
      // A Worker's `export default` is a value in a function body.
      const body = lines.filter((l) => !l.startsWith('import ')).map((l) => l.replace(/^export default /, 'void '));
      const file = join(work, `block${i}.ts`);
      writeFileSync(
        file,
        `${imports.join('\n')}\n${GIVEN}\nexport async function block${i}() {\n${body.join('\n')}\n}\n`,
      );
      return file;
    });
    const program = ts.createProgram(files, {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      allowImportingTsExtensions: true,
      noEmit: true,
      strict: true,
      exactOptionalPropertyTypes: true,
      lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
      types: [],
      skipLibCheck: true,
    });
    const problems = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file === undefined || files.includes(d.file.fileName))
      .map((d) => {
        const where = d.file
          ? `${d.file.fileName.slice(work.length + 1)}:${d.file.getLineAndCharacterOfPosition(d.start!).line + 1}`
          : '';
        return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
      });
    expect(problems).toEqual([]);
  }, 60_000);
});
