// Every signer the bench times, each presigning an S3 GET the way its documentation shows, plus the crypto floors;
// and the gate: an implementation that does not presign the S3 documentation example and the odd keys exactly as
// sigv4 does is not timed.

import { createHash, createHmac, createSecretKey, webcrypto } from 'node:crypto';

import { Sha256 as BrowserSha256 } from '@aws-crypto/sha256-browser';
import { Sha256 as JsSha256 } from '@aws-crypto/sha256-js';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import aws4 from 'aws4';
import { AwsV4Signer } from 'aws4fetch';

import { draftPresign, presignUrl, presignUrlSync, signRequest, signRequestSync } from '../src/index.js';
import { presignUrl as presignUrlLite } from '../src/lite.js';
import { hmacKey, hmacTextHex, sha256TextHex } from '../src/core/sha256.js';
import {
  BASE_URL,
  BUCKET,
  CREDENTIALS,
  DOC_AMZ_DATE,
  DOC_DATE,
  DOC_EXPIRES,
  DOC_KEY,
  DOC_SIGNATURE,
  HOST,
  REGION,
  SERVICE,
  table,
  toKey,
  toWhen,
  type Key,
  type When,
} from './common.js';

// @aws-crypto/sha256-browser looks for Web Crypto on `window` or `self`, which Node does not define: without this it
// silently falls back to its plain-JS hash, and the "browser" row would measure sha256-js a second time.
(globalThis as { self?: unknown }).self ??= globalThis;

/** One signer: presigns GET of the key at the given time, valid for DOC_EXPIRES seconds; returns the URL. */
export interface Implementation {
  readonly name: string;
  /** The package(s) it comes from, for the versions table. */
  readonly packages: readonly string[];
  /** How it hashes. */
  readonly crypto: string;
  /** Returns a plain string (the harness then calls it without await). */
  readonly sync: boolean;
  /** Part of the run, but not a signer: the least work any signer of that kind must do. */
  readonly floor?: boolean;
  /**
   * Signs the GET in an Authorization header instead, and returns the URL and that header: timed in the warm
   * mode only, and held by the gate to signRequestSync's header rather than to a presigned URL.
   */
  readonly header?: boolean;
  /** A new credentials object for every call (as a Worker that reads `env` in its handler makes), not one reused. */
  readonly fresh?: boolean;
  presign(key: Key, when: When): string | Promise<string>;
}

const OURS = 'sigv4 (this repo)';

// -------------------------------------------------------------------------------------------------- sigv4

/**
 * sigv4's options for the documentation example's bucket, credentials and expiry, for one key and time; with
 * `fresh`, the credentials are a new object (with the same strings), as a Worker that builds them from `env` in its
 * handler passes them.
 */
const docOptions = (key: Key, date: Date, fresh = false) => ({
  url: BASE_URL + key.enc,
  service: SERVICE,
  region: REGION,
  credentials: fresh
    ? { accessKeyId: CREDENTIALS.accessKeyId, secretAccessKey: CREDENTIALS.secretAccessKey }
    : CREDENTIALS,
  signingDate: date,
  expiresIn: DOC_EXPIRES,
});
const FRESH = ', new credentials object per call';

const ours: Implementation = {
  name: 'sigv4 presignUrl',
  packages: [OURS],
  crypto: 'Web Crypto',
  sync: false,
  presign: async (key, when) => (await presignUrl(docOptions(key, when.date))).url,
};

const oursLite: Implementation = {
  name: 'sigv4/lite presignUrl',
  packages: [OURS],
  crypto: 'Web Crypto',
  sync: false,
  presign: async (key, when) => (await presignUrlLite(docOptions(key, when.date))).url,
};

const oursSync: Implementation = {
  name: 'sigv4 presignUrlSync',
  packages: [OURS],
  crypto: 'plain JS (src/core/sha256.ts)',
  sync: true,
  presign: (key, when) => presignUrlSync(docOptions(key, when.date)).url,
};

const oursFresh: Implementation = {
  ...ours,
  name: ours.name + FRESH,
  fresh: true,
  presign: async (key, when) => (await presignUrl(docOptions(key, when.date, true))).url,
};
const oursLiteFresh: Implementation = {
  ...oursLite,
  name: oursLite.name + FRESH,
  fresh: true,
  presign: async (key, when) => (await presignUrlLite(docOptions(key, when.date, true))).url,
};
const oursSyncFresh: Implementation = {
  ...oursSync,
  name: oursSync.name + FRESH,
  fresh: true,
  presign: (key, when) => presignUrlSync(docOptions(key, when.date, true)).url,
};

// Header signing of the same GET: the URL and the Authorization header, on one line.
const signed = (r: { url: string; authorization: string }): string => `${r.url} ${r.authorization}`;
const oursSign: Implementation = {
  name: 'sigv4 signRequest',
  packages: [OURS],
  crypto: 'Web Crypto',
  sync: false,
  header: true,
  presign: async (key, when) => signed(await signRequest(docOptions(key, when.date))),
};
const oursSignFresh: Implementation = {
  ...oursSign,
  name: oursSign.name + FRESH,
  fresh: true,
  presign: async (key, when) => signed(await signRequest(docOptions(key, when.date, true))),
};

// The synchronous path with node:crypto injected (the `crypto` option): the same pipeline, native hashing.
// The cached signing key comes back as the same Uint8Array each time: its KeyObject is made once.
const keyObjects = new WeakMap<Uint8Array, ReturnType<typeof createSecretKey>>();
const keyObject = (key: Uint8Array) => keyObjects.get(key) ?? keyObjects.set(key, createSecretKey(key)).get(key)!;
const nodeSyncCrypto = {
  sha256Hex: (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex'),
  hmacSha256: (key: Uint8Array, data: string) => createHmac('sha256', keyObject(key)).update(data).digest(),
};
const oursSyncNode: Implementation = {
  name: 'sigv4 presignUrlSync + node:crypto',
  packages: [OURS],
  crypto: 'node:crypto (injected)',
  sync: true,
  presign: (key, when) => presignUrlSync({ ...docOptions(key, when.date), crypto: nodeSyncCrypto }).url,
};

// -------------------------------------------------------------------------------------------------- aws4fetch

// AwsClient shares one Map of signing keys across its signers; it never evicts, so the bench clears it past 1,000.
const aws4fetchCache = new Map<string, ArrayBuffer>();
const aws4fetch: Implementation = {
  name: 'aws4fetch AwsV4Signer',
  packages: ['aws4fetch'],
  crypto: 'Web Crypto',
  sync: false,
  async presign(key, when) {
    if (aws4fetchCache.size > 1000) aws4fetchCache.clear();
    const signed = await new AwsV4Signer({
      url: BASE_URL + key.enc,
      accessKeyId: CREDENTIALS.accessKeyId,
      secretAccessKey: CREDENTIALS.secretAccessKey,
      service: SERVICE,
      region: REGION,
      datetime: when.amz,
      signQuery: true, // X-Amz-Expires defaults to 86400 for s3
      cache: aws4fetchCache,
    }).sign();
    return signed.url.toString();
  },
};

// -------------------------------------------------------------------------------------------------- aws4

const aws4Impl: Implementation = {
  name: 'aws4',
  packages: ['aws4'],
  crypto: 'node:crypto',
  sync: true,
  presign(key, when) {
    // aws4 takes the signing time from X-Amz-Date in the query; X-Amz-Expires defaults to 86400 for s3.
    const signed = aws4.sign(
      { host: HOST, path: `/${key.enc}?X-Amz-Date=${when.amz}`, service: SERVICE, region: REGION, signQuery: true },
      CREDENTIALS,
    );
    return `https://${HOST}${signed.path}`;
  },
};

// -------------------------------------------------------------------------------------------------- smithy

type HashCtor = ConstructorParameters<typeof SignatureV4>[0]['sha256'];
const rfc3986 = (s: string): string =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
// As S3RequestPresigner does: the payload is UNSIGNED-PAYLOAD, given as a header that is neither hoisted nor signed.
const UNSIGNED = { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } as const;
const KEEP = new Set(['x-amz-content-sha256']);

function smithy(label: string, sha256Ctor: HashCtor, crypto: string, pkg: string): Implementation {
  const signer = new SignatureV4({
    credentials: CREDENTIALS,
    region: REGION,
    service: SERVICE,
    sha256: sha256Ctor,
    uriEscapePath: false,
  });
  return {
    name: `smithy SignatureV4 + ${label}`,
    packages: ['@smithy/signature-v4', '@smithy/protocol-http', pkg],
    crypto,
    sync: false,
    async presign(key, when) {
      const request = new HttpRequest({
        method: 'GET',
        protocol: 'https:',
        hostname: HOST,
        path: `/${key.enc}`,
        headers: { host: HOST, ...UNSIGNED },
      });
      const signed = await signer.presign(request, {
        signingDate: when.date,
        expiresIn: DOC_EXPIRES,
        unhoistableHeaders: KEEP,
        unsignableHeaders: KEEP,
      });
      // smithy returns a request, not a URL: format it as @aws-sdk/util-format-url would.
      let query = '';
      for (const [k, v] of Object.entries(signed.query ?? {}))
        query += `${query ? '&' : ''}${rfc3986(k)}=${rfc3986(v as string)}`;
      return `https://${signed.hostname}${signed.path}?${query}`;
    },
  };
}

const smithyBrowser = smithy(
  'sha256-browser',
  BrowserSha256,
  'Web Crypto (importKey per HMAC)',
  '@aws-crypto/sha256-browser',
);
const smithyJs = smithy('sha256-js', JsSha256, 'plain JS', '@aws-crypto/sha256-js');
const smithyNode = smithy(
  'hash-node',
  Hash.bind(null, 'sha256') as unknown as HashCtor,
  'node:crypto',
  '@smithy/hash-node',
);

// -------------------------------------------------------------------------------------------------- AWS SDK v3

// The client as an application makes it: region and credentials, everything else default. The SDK's URL differs
// from the documentation example in ways of its own (regional host, and X-Amz-Content-Sha256, x-amz-checksum-mode
// and x-id in the signed query), so the gate compares it with sigv4 signing that same request.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true'; // it warns that Node 20 is old
const s3 = new S3Client({ region: REGION, credentials: CREDENTIALS });
const sdk: Implementation = {
  name: 'AWS SDK v3 getSignedUrl',
  packages: ['@aws-sdk/s3-request-presigner', '@aws-sdk/client-s3'],
  crypto: 'node:crypto (hash-node)',
  sync: false,
  presign: (key, when) =>
    getSignedUrl(s3, new GetObjectCommand({ Bucket: BUCKET, Key: key.raw }), {
      expiresIn: DOC_EXPIRES,
      signingDate: when.date,
    }),
};

// -------------------------------------------------------------------------------------------------- floors

const subtle = webcrypto.subtle;
const encoder = new TextEncoder();
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const hex = (buf: ArrayBuffer | Uint8Array): string => {
  const b = buf instanceof Uint8Array ? buf : new Uint8Array(buf);
  let s = '';
  for (let i = 0; i < b.length; i++) s += HEX[b[i]!];
  return s;
};
const SCOPE = `20130524/${REGION}/${SERVICE}/aws4_request`;
/** The signing key of the documentation example (date 20130524), derived once. */
const signingKeyBytes = (() => {
  let k: Buffer = Buffer.from('AWS4' + CREDENTIALS.secretAccessKey);
  for (const part of ['20130524', REGION, SERVICE, 'aws4_request']) k = createHmac('sha256', k).update(part).digest();
  return k;
})();
const subtleKey = await subtle.importKey('raw', signingKeyBytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
const nodeKey = createSecretKey(signingKeyBytes);
const jsKey = hmacKey(new Uint8Array(signingKeyBytes));

// The floors hash sigv4's own canonical request for the same key (built outside the timed loop and cached),
// then HMAC the string to sign with a cached key: the crypto any signer must do, and the hex and text around it.
const canonical = new Map<string, string>();
const canonicalRequest = (key: Key): string => {
  let cr = canonical.get(key.enc);
  if (cr === undefined) {
    cr = draftPresign(docOptions(key, DOC_DATE)).stages.canonicalRequest;
    if (canonical.size > 100_000) canonical.clear();
    canonical.set(key.enc, cr);
  }
  return cr;
};
/** Warms the floors' cache of canonical requests, so that building them is never timed. */
export const prepareFloors = (keys: readonly Key[]): void => void keys.forEach(canonicalRequest);

const floorSubtle: Implementation = {
  name: 'floor: crypto.subtle digest + HMAC',
  packages: [],
  crypto: 'Web Crypto',
  sync: false,
  floor: true,
  async presign(key) {
    const hash = hex(await subtle.digest('SHA-256', encoder.encode(canonicalRequest(key))));
    return hex(
      await subtle.sign('HMAC', subtleKey, encoder.encode(`AWS4-HMAC-SHA256\n${DOC_AMZ_DATE}\n${SCOPE}\n${hash}`)),
    );
  },
};

const floorNode: Implementation = {
  name: 'floor: node:crypto hash + HMAC',
  packages: [],
  crypto: 'node:crypto',
  sync: true,
  floor: true,
  presign(key) {
    const hash = createHash('sha256').update(canonicalRequest(key)).digest('hex');
    return createHmac('sha256', nodeKey).update(`AWS4-HMAC-SHA256\n${DOC_AMZ_DATE}\n${SCOPE}\n${hash}`).digest('hex');
  },
};

const floorJs: Implementation = {
  name: 'floor: src/core/sha256.ts hash + HMAC',
  packages: [],
  crypto: 'plain JS (src/core/sha256.ts)',
  sync: true,
  floor: true,
  // The same calls presignUrlSync makes: text hashed straight to hex, the HMAC key's pads (and the first block of
  // the string to sign, which is the same for every URL of one time and scope) hashed once.
  presign(key) {
    const hash = sha256TextHex(canonicalRequest(key));
    return hmacTextHex(jsKey, `AWS4-HMAC-SHA256\n${DOC_AMZ_DATE}\n${SCOPE}\n${hash}`);
  },
};

export const SIGNERS: readonly Implementation[] = [
  ours,
  oursFresh,
  oursLite,
  oursLiteFresh,
  oursSync,
  oursSyncFresh,
  oursSyncNode,
  oursSign,
  oursSignFresh,
  aws4fetch,
  aws4Impl,
  smithyBrowser,
  smithyJs,
  smithyNode,
  sdk,
];
export const FLOORS: readonly Implementation[] = [floorSubtle, floorNode, floorJs];
/** sigv4's entries timed with a reused credentials object and with a new one per call: [reused, new]. */
export const CREDENTIAL_PAIRS: readonly (readonly [string, string])[] = [
  [ours.name, oursFresh.name],
  [oursLite.name, oursLiteFresh.name],
  [oursSync.name, oursSyncFresh.name],
  [oursSign.name, oursSignFresh.name],
];
export const OURS_ASYNC = ours.name;
export const OURS_ASYNC_FRESH = oursFresh.name;
export const OURS_SYNC = oursSync.name;
export const OURS_SYNC_NODE = oursSyncNode.name;
export const AWS4FETCH = aws4fetch.name;
export const AWS4 = aws4Impl.name;
export const FLOOR_SUBTLE = floorSubtle.name;

// -------------------------------------------------------------------------------------------------- the gate

/** Keys every signer must presign exactly as sigv4 does, or it is not timed. */
export const GATE_KEYS: readonly string[] = [
  DOC_KEY,
  'a b+c/ü~*.txt',
  '//x',
  "it's (a) !copy*.txt",
  'x/y/z-_.~0.txt',
  'emoji-😀/日本.txt',
  '100%.txt',
];
/** Keys where correct signers may disagree with S3 (dot segments are resolved by WHATWG URL parsing): reported only. */
export const INFO_KEYS: readonly string[] = [
  'a/./b/../c',
  'trailing/',
  'plus+sign',
  'tab\tand\nnewline',
  'nfd-u\u0308.txt',
];

const SIGNER_PARAMS = new Set([
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-Date',
  'X-Amz-Expires',
  'X-Amz-SignedHeaders',
  'X-Amz-Signature',
]);

interface Parsed {
  readonly host: string;
  readonly path: string;
  readonly signature: string;
  readonly extra: [string, string][];
  readonly params: Map<string, string>;
}

function parse(url: string): Parsed {
  const m = /^https:\/\/([^/?#]+)([^?#]*)\?(.*)$/.exec(url);
  if (!m) throw new Error(`not a presigned URL: ${url}`);
  const params = new Map<string, string>();
  const extra: [string, string][] = [];
  for (const piece of m[3]!.split('&')) {
    const eq = piece.indexOf('=');
    const k = decodeURIComponent(piece.slice(0, eq));
    const v = decodeURIComponent(piece.slice(eq + 1));
    params.set(k, v);
    if (!SIGNER_PARAMS.has(k)) extra.push([k, v]);
  }
  return { host: m[1]!, path: m[2]!, signature: params.get('X-Amz-Signature') ?? '', extra, params };
}

/** What sigv4 signs for the request a peer's URL stands for (its host, path and extra signed parameters). */
const reference = (p: Parsed): string =>
  presignUrlSync({
    url: `https://${p.host}${p.path}`,
    query: p.extra,
    service: SERVICE,
    region: REGION,
    credentials: CREDENTIALS,
    signingDate: DOC_DATE,
    expiresIn: DOC_EXPIRES,
  }).signature;

export interface GateResult {
  readonly passed: readonly string[];
  readonly failed: ReadonlyMap<string, string>;
  readonly markdown: string;
}

/**
 * Presigns each key with each signer at the documentation's time and checks: sigv4 gives the documented signature;
 * every URL's path decodes back to the key; the signature is the one sigv4 gives for the request the URL stands
 * for, with X-Amz-Date, X-Amz-Expires, the credential and `SignedHeaders=host` as documented; and for every signer
 * but the SDK (whose URL has its own extras, listed), the host is the documented one with no extra parameter.
 */
export async function gate(signers: readonly Implementation[]): Promise<GateResult> {
  const failed = new Map<string, string>();
  const when = toWhen(DOC_DATE);
  const rows: string[][] = [];
  const ownDoc = presignUrlSync({
    url: BASE_URL + DOC_KEY,
    service: SERVICE,
    region: REGION,
    credentials: CREDENTIALS,
    signingDate: DOC_DATE,
    expiresIn: DOC_EXPIRES,
  });
  if (ownDoc.signature !== DOC_SIGNATURE) failed.set(OURS_SYNC, `documentation example: got ${ownDoc.signature}`);
  const extrasSeen = new Map<string, string>();

  for (const info of [false, true]) {
    for (const raw of info ? INFO_KEYS : GATE_KEYS) {
      const key = toKey(raw);
      const row = [info ? `(info) \`${JSON.stringify(raw)}\`` : `\`${JSON.stringify(raw)}\``];
      for (const s of signers) {
        let verdict = 'ok';
        try {
          if (s.header) {
            // The same request, header-signed by the synchronous twin (held to presignUrlSync's signatures above).
            const expected = signed(signRequestSync(docOptions(key, when.date)));
            const got = await s.presign(key, when);
            if (got !== expected) verdict = `**differs**: ${got} against signRequestSync's ${expected}`;
            if (verdict !== 'ok' && !info && !failed.has(s.name))
              failed.set(s.name, `${JSON.stringify(raw)}: ${verdict}`);
            row.push(verdict);
            continue;
          }
          const p = parse(await s.presign(key, when));
          const problems: string[] = [];
          const decodedPath = p.path.split('/').map(decodeURIComponent).join('/');
          if (decodedPath !== '/' + raw) problems.push(`path decodes to ${JSON.stringify(decodedPath)}`);
          if (p.params.get('X-Amz-Date') !== DOC_AMZ_DATE) problems.push('X-Amz-Date');
          if (p.params.get('X-Amz-Expires') !== String(DOC_EXPIRES)) problems.push('X-Amz-Expires');
          if (p.params.get('X-Amz-Credential') !== `${CREDENTIALS.accessKeyId}/${SCOPE}`)
            problems.push('X-Amz-Credential');
          if (p.params.get('X-Amz-SignedHeaders') !== 'host') problems.push('X-Amz-SignedHeaders');
          if (s === sdk) {
            extrasSeen.set(`host ${p.host}`, '');
            for (const [k, v] of p.extra) extrasSeen.set(`${k}=${v}`, '');
          } else if (p.host !== HOST || p.extra.length > 0) {
            problems.push(`host ${p.host}, extra ${JSON.stringify(p.extra)}`);
          }
          if (p.signature !== reference(p)) problems.push('signature differs from sigv4 on the same request');
          if (raw === DOC_KEY && s !== sdk && p.signature !== DOC_SIGNATURE)
            problems.push('not the documented signature');
          if (problems.length > 0) verdict = `**differs**: ${problems.join('; ')}`;
        } catch (e) {
          verdict = `**throws**: ${(e as Error).message.split('\n')[0]}`;
        }
        if (verdict !== 'ok' && !info && !failed.has(s.name)) failed.set(s.name, `${JSON.stringify(raw)}: ${verdict}`);
        row.push(verdict);
      }
      rows.push(row);
    }
  }
  const markdown = [
    table(['key', ...signers.map((s) => s.name)], rows, 'l' + 'l'.repeat(signers.length)),
    '',
    `The SDK's URL for the same object has a regional host and signs extra parameters: ${[...extrasSeen.keys()].map((x) => `\`${x}\``).join(', ')}; ` +
      'its row is checked against sigv4 signing that same request. The documentation example signature is ' +
      `\`${DOC_SIGNATURE}\`.`,
  ].join('\n');
  return { passed: signers.filter((s) => !failed.has(s.name)).map((s) => s.name), failed, markdown };
}
