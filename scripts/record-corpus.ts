// Records vectors/differential.json: a few hundred random requests (fixed seed, so the file is reproducible
// byte for byte) signed by the PEERS only — @smithy/signature-v4 always, aws4 where it can express the case —
// never by this library. test/corpus.test.ts replays them through our API with no peer installed.
//
//   npx tsx scripts/record-corpus.ts           writes the file
//   npx tsx scripts/record-corpus.ts --check   writes nothing; fails unless the file is what it would write
//
// Where both peers sign a case they must agree exactly, or nothing is written.

import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { ourOptions, type Family, type Kind } from '../test/support/cases.js';
import { caseArbitrary } from '../test/support/generators.js';
import { PEER_VERSIONS, peerExpectations, type PeerName } from '../test/support/peers.js';

const SEED = 20_251_128;
// [kind, family, cases]: 300 in all, weighted towards S3, where the encoding rules have the most corners.
const PLAN: readonly (readonly [Kind, Family, number])[] = [
  ['presign', 's3', 90],
  ['presign', 'other', 60],
  ['sign', 's3', 80],
  ['sign', 'other', 70],
];
const OUT = new URL('../vectors/differential.json', import.meta.url);
const MAX_BYTES = 1_000_000;

const require = createRequire(import.meta.url);
const version = (name: string): string => (require(`${name}/package.json`) as { version: string }).version;

const cases: string[] = [];
let both = 0;
for (const [i, [kind, family, count]] of PLAN.entries()) {
  const sample = fc.sample(caseArbitrary(kind, family), { seed: SEED + i, numRuns: count });
  for (const [n, c] of sample.entries()) {
    const id = `${kind}-${family}-${String(n + 1).padStart(3, '0')}`;
    const { smithy, aws4, aws4Skip } = await peerExpectations(c);
    if (aws4 && !isDeepStrictEqual(aws4, smithy)) {
      throw new Error(
        `${id}: the peers disagree\nsmithy: ${JSON.stringify(smithy, null, 2)}\naws4: ${JSON.stringify(aws4, null, 2)}`,
      );
    }
    const peers: PeerName[] = aws4 ? ['@smithy/signature-v4', 'aws4'] : ['@smithy/signature-v4'];
    if (aws4) both++;
    cases.push(
      JSON.stringify({
        id,
        kind,
        peers,
        ...(aws4Skip !== undefined ? { aws4Skipped: aws4Skip } : {}),
        options: ourOptions(c, true),
        expected: smithy,
      }),
    );
  }
}

const header = {
  description:
    'Differential corpus: random requests signed by independent SigV4 signers (never by this library). Each case holds the exact options for presignUrl/signRequest (JSON: signingDate as an ISO string) and what the peers produced: signature, canonical request, string to sign, the URL origin, path and query parameters (as sorted key=value in RFC 3986 form), and the headers the holder must send (presign) or the headers the signer adds (sign). "peers" lists who produced it; both agreed exactly where there are two. See vectors/README.md.',
  generator: 'scripts/record-corpus.ts (test/support/peers.ts)',
  seed: SEED,
  peers: {
    ...PEER_VERSIONS,
    '@aws-crypto/sha256-js': version('@aws-crypto/sha256-js'),
    'fast-check': version('fast-check'),
  },
};
// One case per line: small diffs when a peer or the generator changes.
const json = `${JSON.stringify(header, null, 2).replace(/\n}$/, ',\n  "cases": [\n')}${cases.map((line) => `    ${line}`).join(',\n')}\n  ]\n}\n`;
JSON.parse(json); // well-formed, or fail before writing
const bytes = Buffer.byteLength(json);
if (bytes > MAX_BYTES)
  throw new Error(`corpus is ${bytes} bytes, over the ${MAX_BYTES} budget: record fewer or smaller cases`);
if (process.argv.includes('--check')) {
  // The generator, the model or a peer changed what would be recorded: the corpus is stale (or the change is wrong).
  if (readFileSync(OUT, 'utf8') !== json) {
    console.error(
      `${OUT.pathname} is not what the recorder writes now: run npx tsx scripts/record-corpus.ts, and review the diff`,
    );
    process.exit(1);
  }
  console.log(
    `${OUT.pathname} is what the recorder writes: ${cases.length} cases (${both} signed by both peers), ${(bytes / 1024).toFixed(0)} KiB`,
  );
} else {
  writeFileSync(OUT, json);
  console.log(
    `wrote ${OUT.pathname}: ${cases.length} cases (${both} signed by both peers), ${(bytes / 1024).toFixed(0)} KiB`,
  );
}
