// What the uploader saves to resume (src/upload/state.ts): the name (one per handler, key and file), what is
// saved, and what is refused when read back: any text that is not a saved upload is removed, never trusted.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { forgetState, loadState, saveState, stateName } from '../../src/upload/state.js';
import { MemoryStore } from './fake-s3.js';

const file = (name: string, size: number, lastModified: number) =>
  new File([new Uint8Array(size)], name, { lastModified });

describe('resume state', () => {
  it('the name holds the handler, the key, the file name, size, date and type: any other gives another name', () => {
    fc.assert(
      fc.property(
        fc.tuple(fc.string(), fc.string(), fc.string(), fc.nat(64), fc.nat(), fc.string()),
        fc.tuple(fc.string(), fc.string(), fc.string(), fc.nat(64), fc.nat(), fc.string()),
        (a, b) => {
          const name = ([endpoint, key, fileName, size, date, type]: typeof a) =>
            stateName(endpoint, key, file(fileName, size, date), type);
          expect(name(a) === name(b)).toBe(JSON.stringify(a) === JSON.stringify(b));
          expect(name(a).startsWith('sigv4-upload:')).toBe(true);
        },
      ),
      { seed: 0x18f1, numRuns: 300 },
    );
    // A Blob (no name, no date) has a name too.
    expect(stateName('/m', 'k', new Blob(['ab']), 't/s')).toBe('sigv4-upload:["/m","k","",2,0,"t/s"]');
  });

  it('saves, loads and forgets an upload', () => {
    const store = new MemoryStore();
    const saved = { uploadId: 'u+/=', partSize: 5242880, created: 1 };
    saveState(store, 'n', saved);
    expect(loadState(store, 'n')).toEqual(saved);
    forgetState(store, 'n');
    expect(loadState(store, 'n')).toBeUndefined();
    expect(loadState(null, 'n')).toBeUndefined();
    saveState(null, 'n', saved); // nowhere: nothing happens
  });

  it('any other text saved under the name is refused and removed', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc
            .record({ uploadId: fc.anything(), partSize: fc.anything(), created: fc.anything() })
            .map((v) => JSON.stringify(v)),
        ),
        (text) => {
          const store = new MemoryStore();
          store.setItem('n', text);
          const loaded = loadState(store, 'n');
          if (loaded === undefined) expect(store.items.has('n')).toBe(false);
          else {
            expect(typeof loaded.uploadId).toBe('string');
            expect(loaded.uploadId).not.toBe('');
            expect(Number.isSafeInteger(loaded.partSize) && loaded.partSize > 0).toBe(true);
            expect(Number.isFinite(loaded.created)).toBe(true);
          }
        },
      ),
      { seed: 0x18f2, numRuns: 500 },
    );
  });

  it('a store that throws is read as empty, and written to in vain', () => {
    const fail = () => {
      throw new Error('SecurityError');
    };
    const store = { getItem: fail, setItem: fail, removeItem: fail };
    expect(loadState(store, 'n')).toBeUndefined();
    saveState(store, 'n', { uploadId: 'u', partSize: 1, created: 1 });
    forgetState(store, 'n');
  });
});
