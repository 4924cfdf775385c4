// Replays vectors/differential.json: requests signed by @smithy/signature-v4 and aws4 when the corpus was
// recorded (scripts/record-corpus.ts), checked here against this library alone. No peer is imported, so a clone
// without them still tests real, independently produced expectations: signature, canonical request, string
// to sign, and the URL and headers we emit.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  presignUrl,
  presignUrlSync,
  signRequest,
  signRequestSync,
  type PresignOptions,
  type SignRequestOptions,
} from '../src/index.js';
import { observe } from './support/observe.js';

interface Observed {
  signature: string;
  canonicalRequest: string;
  stringToSign: string;
  origin: string;
  path: string;
  /** The URL's query parameters as emitted (`key=value`), sorted. */
  query: string[];
  /** presign: names of the headers the holder must send; sign: the headers the signer adds. */
  headers: string[] | Record<string, string>;
  authorization?: string;
}

interface CorpusCase {
  id: string;
  kind: 'presign' | 'sign';
  peers: string[];
  aws4Skipped?: string;
  options: Record<string, unknown>;
  expected: Observed;
}

interface Corpus {
  description: string;
  generator: string;
  seed: number;
  peers: Record<string, string>;
  cases: CorpusCase[];
}

const corpus = JSON.parse(readFileSync(new URL('../vectors/differential.json', import.meta.url), 'utf8')) as Corpus;

describe('vectors/differential.json (requests signed by smithy and aws4, replayed without them)', () => {
  it('holds a few hundred cases of every kind, each produced by a named peer version', () => {
    expect(corpus.seed).toEqual(expect.any(Number));
    expect(corpus.peers['@smithy/signature-v4']).toMatch(/^\d+\.\d+\.\d+$/);
    expect(corpus.peers['aws4']).toMatch(/^\d+\.\d+\.\d+$/);
    expect(corpus.cases.length).toBeGreaterThanOrEqual(250);
    expect(new Set(corpus.cases.map((c) => c.id)).size).toBe(corpus.cases.length);
    for (const c of corpus.cases) {
      expect(c.peers, c.id).toContain('@smithy/signature-v4');
      // A case aws4 did not sign says why; one it did has no such note.
      expect(c.peers.includes('aws4'), c.id).toBe(c.aws4Skipped === undefined);
      expect(c.expected.signature, c.id).toMatch(/^[0-9a-f]{64}$/);
    }
    const count = (kind: string, s3: boolean) =>
      corpus.cases.filter((c) => c.kind === kind && (c.options['service'] === 's3') === s3).length;
    for (const kind of ['presign', 'sign'])
      for (const s3 of [true, false]) expect(count(kind, s3), `${kind} s3=${s3}`).toBeGreaterThanOrEqual(50);
    expect(corpus.cases.filter((c) => c.peers.includes('aws4')).length).toBeGreaterThanOrEqual(
      corpus.cases.length * 0.4,
    );
  });

  for (const c of corpus.cases) {
    it(`${c.id} (${c.peers.join(' + ')})`, async () => {
      // The recorded options, exactly as stored (JSON: the date as an ISO string, pairs or records).
      const options = c.options as unknown as PresignOptions & SignRequestOptions;
      const result = c.kind === 'presign' ? await presignUrl(options) : await signRequest(options);
      expect(observe(c.kind, result)).toEqual(c.expected);
      const sync = c.kind === 'presign' ? presignUrlSync(options) : signRequestSync(options);
      expect(observe(c.kind, sync), 'synchronous twin').toEqual(c.expected);
    });
  }
});
