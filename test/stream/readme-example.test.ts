// The README's streaming examples, run as written: the upload block PUTs a 300 KB stream to the server block over
// HTTP on loopback, and the file it stores is the data; a request signed with another secret stores nothing. The
// blocks are read from README.md, their imports replaced by the modules they name (sigv4 is src/).

import { createWriteStream, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { transformSync } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import * as sigv4 from '../../src/index.js';
import { streamOf } from './support.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The TypeScript block after a `<!-- streaming-example:NAME … -->` comment, without its import lines. */
function block(name: string): { code: string; imports: string[] } {
  const m = new RegExp(`<!-- streaming-example:${name} [^>]*-->\\n\`\`\`ts\\n([^]*?)\\n\`\`\`\\n`).exec(readme);
  if (m === null) throw new Error(`README.md has no streaming-example:${name} block`);
  const lines = m[1]!.split('\n');
  const imports = lines.filter((l) => l.startsWith('import '));
  return { code: lines.filter((l) => !l.startsWith('import ')).join('\n'), imports };
}

/** Runs a block as the body of an async function of the given names, returning what `result` names at its end. */
async function run(name: string, scope: Record<string, unknown>, result?: string): Promise<unknown> {
  const { code, imports } = block(name);
  // Every name the block imports must be in scope, and come from the module it names.
  for (const line of imports) {
    const [, names, from] = /^import \{ ([^}]+) \} from '([^']+)';$/.exec(line)!;
    for (const n of names!.split(', ')) expect(scope, `${n} from ${from}`).toHaveProperty(n);
  }
  const js = transformSync(code, { loader: 'ts' }).code + (result ? `\nreturn ${result};` : '');
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (
    ...args: string[]
  ) => (...values: unknown[]) => Promise<unknown>;
  return new AsyncFunction(...Object.keys(scope), js)(...Object.values(scope));
}

describe('README: streaming uploads', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sigv4-readme-stream-'));
  const file = join(dir, 'object.bin');
  const credentials = { accessKeyId: 'AKIDREADME', secretAccessKey: 'readme/secret' };
  const keys = new Map([[credentials.accessKeyId, { secretAccessKey: credentials.secretAccessKey }]]);
  let server: http.Server | undefined;
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  it('the upload block stores its stream through the server block, checked chunk by chunk', async () => {
    // createServer(…).listen(8080) as written, on a free port instead.
    const createServer = (handler: http.RequestListener) => {
      server = http.createServer(handler);
      return { listen: () => server!.listen(0, '127.0.0.1') };
    };
    await run('server', {
      ...sigv4,
      createServer,
      createWriteStream,
      rename,
      rm,
      Readable,
      pipeline,
      file,
      keys,
    });
    await new Promise((resolve) => (server!.listening ? resolve(undefined) : server!.once('listening', resolve)));
    const url = `http://127.0.0.1:${(server!.address() as AddressInfo).port}/bucket/object.bin`;
    const data = Uint8Array.from({ length: 300_000 }, (_, i) => (i * 131) & 255);
    const upload = (secretAccessKey: string) =>
      run(
        'upload',
        {
          ...sigv4,
          url,
          credentials: { ...credentials, secretAccessKey },
          size: data.length,
          stream: streamOf(data, [1000, 70000]),
        },
        'response',
      ) as Promise<Response>;

    const response = await upload(credentials.secretAccessKey);
    expect(response.status).toBe(200);
    expect(new Uint8Array(readFileSync(file))).toEqual(data);

    await rm(file);
    const forged = await upload('another/secret');
    expect(forged.status).toBe(403);
    expect(existsSync(file)).toBe(false);
  });
});
