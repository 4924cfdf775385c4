// sigv4/upload is tree-shaken apart from the signer: its bundle (esbuild, as bench/size.ts measures it) holds only
// src/upload's files (the handler's JSON types leave no code), no Web Crypto, no credentials.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { measure } from '../../bench/size.js';

describe('the sigv4/upload bundle', () => {
  it('holds the uploader alone', async () => {
    const entry = join(import.meta.dirname, '..', '..', 'src', 'upload.ts');
    const row = await measure({
      name: 'upload',
      contents: `export * from ${JSON.stringify(entry)};`,
      resolveDir: import.meta.dirname,
    });
    expect(row.modules.map((m) => m.path).sort()).toEqual([
      'src/upload/errors.ts',
      'src/upload/send.ts',
      'src/upload/state.ts',
      'src/upload/upload.ts',
      'src/upload/xml.ts',
    ]);
    expect(row.code).not.toMatch(/subtle|secretAccessKey|AWS4-HMAC-SHA256/);
  });
});
