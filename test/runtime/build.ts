// Builds what the runtime matrix loads, into node_modules/.cache/sigv4-runtime/ (never committed):
// - core.mjs: test/runtime/conformance.ts with AWS's vectors embedded as data, no library inside (each runtime
//   passes it the built package, dist/index.js, which it loads with its own module loader);
// - worker.mjs: the workerd Worker, bundled with dist/ as a Worker is deployed.
// The vectors come from ../shared/aws-sigv4-vectors (or SIGV4_VECTORS), as for `npm test`: where they are
// absent the vector checks are reported as skipped by count, and SIGV4_REQUIRE_VECTORS=1 makes that a failure.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { ConformanceData, V4aVectorCase, VectorCase, VectorOptions } from './conformance.js';
import {
  VECTORS_DIR,
  VECTORS_PRESENT,
  VECTORS_REQUIRED,
  awsCAuthOptions,
  listDirs,
  parseRequest,
  read,
  type AwsCAuthContext,
} from '../support/vectors.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const OUT_DIR = join(ROOT, 'node_modules', '.cache', 'sigv4-runtime');
/** How many vector checks there are when the vectors are present: 38 cases × 2 variants + 6 S3 examples. */
const VECTOR_COUNT = 38 * 2 + 6;
/** And SigV4a's: 38 complete cases × 2 variants of aws-c-auth's v4a suite, and the derived public key. */
const V4A_COUNT = 38 * 2;

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
const EMPTY_SHA256 = sha256('');

/** aws-c-auth's v4 suite, both variants, translated to signing options exactly as test/vectors.test.ts does. */
function awsCAuthCases(): VectorCase[] {
  const cases: VectorCase[] = [];
  for (const name of listDirs('aws-signing-test-suite', 'v4')) {
    const file = (f: string): string => read('aws-signing-test-suite', 'v4', name, f);
    const context = JSON.parse(file('context.json')) as AwsCAuthContext;
    const request = parseRequest(file('request.txt'));
    const common = awsCAuthOptions(context, request) satisfies VectorOptions;
    const expected = (variant: string) => ({
      canonicalRequest: file(`${variant}-canonical-request.txt`),
      stringToSign: file(`${variant}-string-to-sign.txt`),
      signature: file(`${variant}-signature.txt`),
    });
    cases.push({
      id: `v4/${name}`,
      kind: 'sign',
      options: {
        ...common,
        ...(context.sign_body
          ? { body: request.body ?? '', contentSha256Header: true }
          : { payloadHash: EMPTY_SHA256 }),
      },
      expected: expected('header'),
      ...(context.sign_body ? { verifyBody: request.body ?? '' } : {}),
      verify: true,
    });
    cases.push({
      id: `v4/${name}`,
      kind: 'presign',
      options: {
        ...common,
        expiresIn: context.expiration_in_seconds,
        payloadHash: context.sign_body ? sha256(request.body ?? '') : EMPTY_SHA256,
      },
      expected: expected('query'),
      verify: true,
    });
  }
  return cases;
}

/**
 * aws-c-auth's v4a suite, both variants of its 38 complete cases, with the same harness rules as the v4 suite
 * (test/vectors-v4a.test.ts), the request aws-c-auth printed, and public-key.json.
 */
function awsCAuthV4aCases(): V4aVectorCase[] {
  const cases: V4aVectorCase[] = [];
  for (const name of listDirs('aws-signing-test-suite', 'v4a')) {
    const file = (f: string): string => read('aws-signing-test-suite', 'v4a', name, f);
    if (!existsSync(join(VECTORS_DIR, 'aws-signing-test-suite', 'v4a', name, 'public-key.json'))) continue; // inputs only
    const context = JSON.parse(file('context.json')) as AwsCAuthContext;
    const request = parseRequest(file('request.txt'));
    const { region, ...common } = awsCAuthOptions(context, request);
    const { X, Y } = JSON.parse(file('public-key.json')) as { X: string; Y: string };
    for (const variant of ['header', 'query'] as const) {
      const printed = parseRequest(file(`${variant}-signed-request.txt`));
      const host = printed.headers.find(([n]) => n.toLowerCase() === 'host')![1];
      cases.push({
        id: `v4a/${name}`,
        kind: variant === 'header' ? 'sign' : 'presign',
        options: {
          ...common,
          regionSet: region,
          ...(variant === 'header'
            ? context.sign_body
              ? { body: request.body ?? '', contentSha256Header: true }
              : { payloadHash: EMPTY_SHA256 }
            : {
                expiresIn: context.expiration_in_seconds,
                payloadHash: context.sign_body ? sha256(request.body ?? '') : EMPTY_SHA256,
              }),
        },
        expected: {
          canonicalRequest: file(`${variant}-canonical-request.txt`),
          stringToSign: file(`${variant}-string-to-sign.txt`),
          signature: file(`${variant}-signature.txt`),
        },
        publicKey: { x: X, y: Y },
        printed: { url: `https://${host}${printed.target}`, method: printed.method, headers: printed.headers },
        ...(variant === 'header' && context.sign_body ? { verifyBody: request.body ?? '' } : {}),
      });
    }
  }
  return cases;
}

interface Example {
  id: string;
  inputs: Record<string, unknown> & {
    access_key_id: string;
    secret_access_key: string;
    region: string;
    service: string;
    timestamp: string;
    method: string;
  };
  expected: Record<string, string>;
}

/** The S3 API Reference examples: the presigned GET (whole URL) and the header-signed requests. */
function s3DocCases(): VectorCase[] {
  const examples = (JSON.parse(read('s3-docs.json')) as { examples: Example[] }).examples;
  const cases: VectorCase[] = [];
  for (const e of examples) {
    const credentials = { accessKeyId: e.inputs.access_key_id, secretAccessKey: e.inputs.secret_access_key };
    const base = {
      method: e.inputs.method,
      service: e.inputs.service,
      region: e.inputs.region,
      credentials,
      signingDate: e.inputs.timestamp,
    };
    if (e.id === 's3-presigned-get-object') {
      cases.push({
        id: e.id,
        kind: 'presign',
        options: {
          ...base,
          url: e.inputs['url'] as string,
          headers: [],
          expiresIn: e.inputs['expires_in_seconds'] as number,
        },
        expected: {
          canonicalRequest: e.expected['canonical_request']!,
          stringToSign: e.expected['string_to_sign']!,
          signature: e.expected['signature']!,
          url: e.expected['presigned_url']!,
        },
        verify: true,
      });
    } else if (e.id.startsWith('s3-header-')) {
      const chunked = e.id.endsWith('chunked');
      cases.push({
        id: e.id,
        kind: 'sign',
        options: {
          ...base,
          url: `https://${e.inputs['host'] as string}${e.inputs['request_target'] as string}`,
          headers: (e.inputs['headers'] as [string, string][]).filter(([n]) => n.toLowerCase() !== 'x-amz-date'),
        },
        expected: {
          canonicalRequest: e.expected['canonical_request']!,
          stringToSign: e.expected['string_to_sign']!,
          signature: chunked ? e.expected['seed_signature']! : e.expected['signature']!,
          ...(chunked ? {} : { authorization: e.expected['authorization']! }),
        },
        ...(chunked ? {} : { verifyBody: e.inputs['payload'] as string }),
        verify: true,
      });
    }
  }
  return cases;
}

/** The data the core embeds. Throws when the vectors are required (SIGV4_REQUIRE_VECTORS=1) but absent. */
export function conformanceData(): ConformanceData {
  if (!VECTORS_PRESENT) {
    const reason = `AWS's test vectors were not found at ${VECTORS_DIR} (set SIGV4_VECTORS to their folder)`;
    if (VECTORS_REQUIRED) throw new Error(`${reason}, and SIGV4_REQUIRE_VECTORS=1 requires them`);
    return { source: 'none', vectors: [], v4a: [], missing: { reason, count: VECTOR_COUNT + V4A_COUNT + 1 } };
  }
  const vectors = [...awsCAuthCases(), ...s3DocCases()];
  if (vectors.length !== VECTOR_COUNT)
    throw new Error(`expected ${VECTOR_COUNT} vector cases, found ${vectors.length}`);
  const v4a = awsCAuthV4aCases();
  if (v4a.length !== V4A_COUNT) throw new Error(`expected ${V4A_COUNT} SigV4a vector cases, found ${v4a.length}`);
  return {
    source:
      'aws-c-auth aws-signing-test-suite/v4 and v4a (38 cases each, header and query variants), Amazon S3 API Reference examples (6)',
    vectors,
    v4a,
  };
}

/** Builds core.mjs and worker.mjs; dist/ must have been built (`npm run build`). */
export async function buildRuntimeFiles(): Promise<{ core: string; worker: string; data: ConformanceData }> {
  if (!existsSync(join(ROOT, 'dist', 'index.js')))
    throw new Error('dist/index.js not found: run `npm run build` first');
  mkdirSync(OUT_DIR, { recursive: true });
  const data = conformanceData();
  writeFileSync(join(OUT_DIR, 'data.json'), JSON.stringify(data));
  const common = {
    bundle: true,
    format: 'esm',
    target: 'es2022',
    platform: 'neutral',
    logLevel: 'warning',
    legalComments: 'none',
  } as const;
  const core = join(OUT_DIR, 'core.mjs');
  await build({
    ...common,
    stdin: {
      contents: [
        `import data from ${JSON.stringify(join(OUT_DIR, 'data.json'))};`,
        `import { runConformance, describeRuntime } from ${JSON.stringify(join(ROOT, 'test', 'runtime', 'conformance.ts'))};`,
        'export { describeRuntime, data };',
        'export const run = (lib, log) => runConformance(lib, data, log);',
      ].join('\n'),
      resolveDir: OUT_DIR,
      loader: 'js',
    },
    outfile: core,
  });
  const worker = join(OUT_DIR, 'worker.mjs');
  await build({ ...common, entryPoints: [join(ROOT, 'test', 'runtime', 'workerd', 'worker.mjs')], outfile: worker });
  return { core, worker, data };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { core, data } = await buildRuntimeFiles();
  console.log(`built ${core} (${data.vectors.length} vectors)`);
}
