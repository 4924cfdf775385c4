// Two independent SigV4 signers (the AWS SDK's @smithy/signature-v4 and mhart's aws4) behind one interface:
// each signs a Case (./cases.ts), and its result is read into the shape of ./observe.ts. Nothing here runs code
// from src/, so the corpus scripts/record-corpus.ts writes comes from the peers alone.
//
// Each peer is fed a case's *meaning*, written in that peer's own input language:
//   - smithy: HttpRequest.path is the path sent (already encoded; smithy normalizes and double-encodes it
//     itself when uriEscapePath is on), HttpRequest.query holds decoded strings, HttpRequest.headers one
//     string per name, `host` included (the SDK's middleware adds it; SignatureV4 does not).
//   - aws4: `path` is the wire path plus a query string it reads with querystring.parse, so every key and
//     value is written fully percent-encoded (a plus sign as %2B: querystring reads `+` as a space, as we do).
//     For S3 aws4 also reads `+` in the *path* as a space (we read it as a plus): the wire path it is given
//     holds %2B, never `+`, so the two agree on what is signed.
// Where a peer cannot express a case, or is known to sign it differently, the case is compared with the other
// peer only, and `aws4Skip` says why; the tests count how often that happens so the constraint never turns a
// comparison into a vacuous one.

import { createRequire } from 'node:module';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { ALWAYS_UNSIGNABLE_HEADERS, SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, HeaderBag, HttpRequest as IHttpRequest } from '@smithy/types';
import {
  amzDateOf,
  contentSha256Header,
  escapesTwice,
  headerMap,
  hoists,
  isS3,
  joinedValue,
  sentPath,
  wireMethod,
  type Case,
} from './cases.js';
import {
  canonicalPieces,
  expectedPath,
  signerAdded,
  type Expected,
  type PresignExpected,
  type SignExpected,
} from './observe.js';
import { rfc3986 } from './reference.js';

// aws4 is CommonJS and assigns its exports through an alias (`var aws4 = exports`), which Node's ESM loader
// cannot see as named exports; `require` gives the real module object.
const require = createRequire(import.meta.url);
const aws4 = require('aws4') as typeof import('aws4');

/** The peers and their exact versions, recorded with the corpus. */
export const PEER_VERSIONS: Readonly<Record<PeerName, string>> = {
  '@smithy/signature-v4': (require('@smithy/signature-v4/package.json') as { version: string }).version,
  aws4: (require('aws4/package.json') as { version: string }).version,
};
export type PeerName = '@smithy/signature-v4' | 'aws4';

/** What smithy (and the SDKs) never sign by default: our signRequest claims the same list. */
const SDK_UNSIGNABLE = new Set(Object.keys(ALWAYS_UNSIGNABLE_HEADERS));

// ---------------------------------------------------------------------------------------------------------
// smithy (@smithy/signature-v4, the AWS SDK for JavaScript v3's signer).

/** SignatureV4 that keeps the canonical request and string to sign it builds (both are protected stages). */
class ObservedSignatureV4 extends SignatureV4 {
  canonicalRequest = '';
  stringToSign = '';
  protected override createCanonicalRequest(
    request: IHttpRequest,
    canonicalHeaders: HeaderBag,
    payloadHash: string,
  ): string {
    this.canonicalRequest = super.createCanonicalRequest(request, canonicalHeaders, payloadHash);
    return this.canonicalRequest;
  }
  protected override async createStringToSign(
    longDate: string,
    credentialScope: string,
    canonicalRequest: string,
    algorithmIdentifier: string,
  ): Promise<string> {
    this.stringToSign = await super.createStringToSign(
      longDate,
      credentialScope,
      canonicalRequest,
      algorithmIdentifier,
    );
    return this.stringToSign;
  }
}

function smithyRequest(c: Case, headers: Record<string, string>, body?: string): HttpRequest {
  // Decoded query as smithy holds it: one string, or an array for a repeated key.
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of c.query) {
    const had = Object.prototype.hasOwnProperty.call(query, k) ? query[k] : undefined;
    query[k] = had === undefined ? v : Array.isArray(had) ? [...had, v] : [had, v];
  }
  const origin = new URL(c.origin);
  return new HttpRequest({
    method: wireMethod(c),
    protocol: origin.protocol,
    hostname: origin.hostname,
    ...(origin.port ? { port: Number(origin.port) } : {}),
    path: sentPath(c),
    query,
    headers: { host: c.host, ...headers },
    ...(body !== undefined ? { body } : {}),
  });
}

function smithySigner(c: Case, withToken: boolean, applyChecksum: boolean): ObservedSignatureV4 {
  const credentials: AwsCredentialIdentity = {
    accessKeyId: c.accessKeyId,
    secretAccessKey: c.secretAccessKey,
    ...(withToken && c.sessionToken !== undefined ? { sessionToken: c.sessionToken } : {}),
  };
  return new ObservedSignatureV4({
    credentials,
    region: c.region,
    service: c.service,
    sha256: Sha256,
    uriEscapePath: escapesTwice(c),
    applyChecksum,
  });
}

async function smithyPresign(c: Case): Promise<PresignExpected> {
  const map = headerMap(c);
  const headers: Record<string, string> = {};
  for (const [name, values] of map) headers[name] = joinedValue(c, name, values);
  // smithy takes the payload hash of a presigned request from an x-amz-content-sha256 header (else the hash of
  // the body, else of an empty body). For our payloadHash option, or S3's UNSIGNED-PAYLOAD default, give it that
  // header and mark it unsignable and unhoistable so it only sets the hash (what the S3 presigner does).
  const synthetic =
    contentSha256Header(c) === undefined && (c.payloadHash !== undefined || isS3(c))
      ? (c.payloadHash ?? 'UNSIGNED-PAYLOAD')
      : undefined;
  if (synthetic !== undefined) headers['x-amz-content-sha256'] = synthetic;
  const names = [...map.keys()];
  // Token signed unless signSessionToken is false; then, like our API, add it to the URL after signing.
  const tokenAfter = c.sessionToken !== undefined && c.signSessionToken === false;
  const signer = smithySigner(c, !tokenAfter, true);
  const out = await signer.presign(smithyRequest(c, headers), {
    expiresIn: c.expiresIn,
    signingDate: new Date(c.signingDate),
    // smithy hoists every x-amz-* header into the query by default; our API only with hoistAmzHeaders.
    unhoistableHeaders: new Set([
      ...names.filter((n) => n.startsWith('x-amz-') && !hoists(c, n)),
      ...(synthetic !== undefined ? ['x-amz-content-sha256'] : []),
    ]),
    // smithy leaves user-agent, expect, cache-control, … out of a presigned URL by default; our presignUrl
    // signs every header it is given (its documented contract: the holder must send them), so say so.
    signableHeaders: new Set(names),
    ...(synthetic !== undefined ? { unsignableHeaders: new Set(['x-amz-content-sha256']) } : {}),
  });
  const pairs: [string, string][] = [];
  const outQuery = out.query ?? {};
  for (const [k, v] of Object.entries(outQuery)) {
    if (Array.isArray(v)) for (const x of v) pairs.push([k, x]);
    else if (v !== null) pairs.push([k, v]);
  }
  if (tokenAfter) pairs.push(['X-Amz-Security-Token', c.sessionToken!]);
  return {
    signature: String(outQuery['X-Amz-Signature']),
    canonicalRequest: signer.canonicalRequest,
    stringToSign: signer.stringToSign,
    origin: c.origin,
    path: expectedPath(c, signer.canonicalRequest),
    query: pairs.map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`).sort(),
    headers: Object.keys(out.headers)
      .filter((n) => n !== 'host' && !(synthetic !== undefined && n === 'x-amz-content-sha256'))
      .sort(),
  };
}

async function smithySign(c: Case): Promise<SignExpected> {
  const headers: Record<string, string> = {};
  for (const [name, values] of headerMap(c)) headers[name] = joinedValue(c, name, values);
  // Our payloadHash option (given only where our API also sends it as x-amz-content-sha256) is that header to smithy.
  if (c.payloadHash !== undefined) headers['x-amz-content-sha256'] = c.payloadHash;
  // smithy adds x-amz-content-sha256 to every request unless applyChecksum is false; our API only for S3 (or
  // with contentSha256Header).
  const signer = smithySigner(c, true, c.contentSha256Header ?? isS3(c));
  const tokenUnsigned = c.sessionToken !== undefined && c.signSessionToken === false;
  const out = await signer.sign(smithyRequest(c, headers, c.body), {
    signingDate: new Date(c.signingDate),
    ...(tokenUnsigned ? { unsignableHeaders: new Set(['x-amz-security-token']) } : {}),
  });
  const added = signerAdded(out.headers);
  return {
    signature: /Signature=([0-9a-f]{64})$/.exec(added['authorization'] ?? '')?.[1] ?? '(none)',
    canonicalRequest: signer.canonicalRequest,
    stringToSign: signer.stringToSign,
    authorization: added['authorization'] ?? '(none)',
    origin: c.origin,
    path: expectedPath(c, signer.canonicalRequest),
    query: canonicalPieces(signer.canonicalRequest.split('\n')[2]!),
    headers: added,
  };
}

// ---------------------------------------------------------------------------------------------------------
// aws4 (mhart/aws4).

/** aws4's request, with the two options its type definitions leave out. */
type Aws4Request = import('aws4').Request & {
  extraHeadersToInclude?: Record<string, boolean>;
  extraHeadersToIgnore?: Record<string, boolean>;
};

/**
 * Why aws4 cannot sign this case the way our API (and smithy, and AWS) do, or undefined when it can.
 * Each reason is a known aws4 behaviour, read from aws4.js 1.13.2 and checked in the differential tests.
 */
export function aws4Skip(c: Case): string | undefined {
  if (c.pathRules) return 'non-default path rules: aws4 ties normalization and double encoding to service === "s3"';
  // parsePath(): a path holding a character outside its list (here "[", "]" or "|", which fetch sends raw) is
  // rewritten as encodeURI(decodeURI(path)), which changes its escapes (%7E becomes ~).
  if (escapesTwice(c) && /[^0-9A-Za-z;,/?:@&=+$\-_.!~*'()#%]/.test(sentPath(c)))
    return 'a "[", "]" or "|" in the path: aws4 re-encodes the whole path';
  // canonicalString(): `if (!key) return obj` drops a parameter with an empty name.
  if (c.query.some(([k]) => k === '')) return 'empty query key: aws4 leaves it out of the canonical query';
  if (isS3(c)) {
    // canonicalString(): `firstValOnly = service === 's3'` keeps only the first value of a repeated key.
    const keys = c.query.map(([k]) => k);
    if (new Set(keys).size !== keys.length) return 'repeated query key on S3: aws4 signs only its first value';
    // canonicalString(): for S3 each segment is decoded, encoded again, then every %2F turned back into "/".
    if (c.segments.some((s) => s.includes('/'))) return 'encoded "/" in an S3 key: aws4 signs it as a literal "/"';
    // canonicalString(): an S3 presigned request always has UNSIGNED-PAYLOAD.
    const hash = c.payloadHash ?? contentSha256Header(c);
    if (c.kind === 'presign' && hash !== undefined && hash !== 'UNSIGNED-PAYLOAD')
      return 'S3 presign with a payload hash: aws4 always signs UNSIGNED-PAYLOAD';
    // prepareRequest(): S3 header signing always adds x-amz-content-sha256.
    if (c.kind === 'sign' && c.contentSha256Header === false)
      return 'S3 with contentSha256Header false: aws4 always adds x-amz-content-sha256';
  } else if (c.contentSha256Header === true) {
    return 'contentSha256Header outside S3: aws4 adds x-amz-content-sha256 only for S3';
  }
  if (c.kind === 'sign' && c.body) {
    // prepareRequest(): a body without these headers (or with an empty value: `!headers['content-type']`) gets
    // them added, and signed.
    const map = headerMap(c);
    if (
      !joinedValue(c, 'content-type', map.get('content-type') ?? []) ||
      !joinedValue(c, 'content-length', map.get('content-length') ?? [])
    ) {
      return 'body without content-type and content-length: aws4 adds and signs them';
    }
  }
  return undefined;
}

function aws4Run(c: Case, request: Aws4Request, withToken: boolean) {
  const credentials = {
    accessKeyId: c.accessKeyId,
    secretAccessKey: c.secretAccessKey,
    ...(withToken && c.sessionToken !== undefined ? { sessionToken: c.sessionToken } : {}),
  };
  const signer = new aws4.RequestSigner(request, credentials);
  // canonicalString() prepares the request (adds the X-Amz-* parameters or headers) and is then reused by sign().
  const canonicalRequest = signer.canonicalString();
  const stringToSign = signer.stringToSign();
  const signed = signer.sign();
  return { canonicalRequest, stringToSign, signed };
}

const aws4Path = (c: Case, pairs: readonly (readonly [string, string])[]): string =>
  sentPath(c) + (pairs.length > 0 ? '?' + pairs.map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`).join('&') : '');

function aws4Presign(c: Case): PresignExpected {
  const headers: Record<string, string> = { host: c.host };
  const include: Record<string, boolean> = {};
  const ignore: Record<string, boolean> = {};
  const query: (readonly [string, string])[] = [...c.query];
  for (const [name, values] of headerMap(c)) {
    // aws4 does not hoist: a hoisted header is, by definition, that query parameter.
    if (hoists(c, name)) query.push([name, joinedValue(c, name, values)]);
    else {
      headers[name] = joinedValue(c, name, values);
      // aws4 leaves connection, expect, range, user-agent, … out; our presignUrl signs every header it is given.
      include[name] = true;
    }
  }
  // Outside S3 aws4 takes the payload hash from an x-amz-content-sha256 header: one that only sets the hash.
  if (!isS3(c) && c.payloadHash !== undefined) {
    headers['x-amz-content-sha256'] = c.payloadHash;
    ignore['x-amz-content-sha256'] = true;
  }
  // aws4 reads the signing time and validity from these parameters (and adds X-Amz-Expires itself only for S3).
  query.push(['X-Amz-Expires', String(c.expiresIn)], ['X-Amz-Date', amzDateOf(c.signingDate)]);
  const tokenAfter = c.sessionToken !== undefined && c.signSessionToken === false;
  const { canonicalRequest, stringToSign, signed } = aws4Run(
    c,
    {
      method: wireMethod(c),
      path: aws4Path(c, query),
      service: c.service,
      region: c.region,
      signQuery: true,
      headers,
      extraHeadersToInclude: include,
      extraHeadersToIgnore: ignore,
    },
    !tokenAfter,
  );
  const path = signed.path ?? '';
  const search = path.includes('?') ? path.slice(path.indexOf('?') + 1) : '';
  const pieces = canonicalPieces(search);
  if (tokenAfter) pieces.push(`X-Amz-Security-Token=${rfc3986(c.sessionToken!)}`);
  return {
    signature: new URLSearchParams(search).get('X-Amz-Signature') ?? '(none)',
    canonicalRequest,
    stringToSign,
    origin: c.origin,
    path: expectedPath(c, canonicalRequest),
    query: pieces.sort(),
    headers: Object.keys(signed.headers ?? {})
      .map((n) => n.toLowerCase())
      .filter((n) => n !== 'host' && !ignore[n])
      .sort(),
  };
}

function aws4Sign(c: Case): SignExpected {
  const headers: Record<string, string> = { host: c.host };
  const include: Record<string, boolean> = {};
  const ignore: Record<string, boolean> = {};
  for (const [name, values] of headerMap(c)) {
    headers[name] = joinedValue(c, name, values);
    // aws4's own ignore list differs from the SDKs' (it signs cache-control, from, te, …, and not range);
    // our signRequest follows the SDKs' list, which the smithy comparison checks. Tell aws4 which to sign.
    if (SDK_UNSIGNABLE.has(name)) ignore[name] = true;
    else include[name] = true;
  }
  if (c.payloadHash !== undefined) headers['x-amz-content-sha256'] = c.payloadHash;
  // aws4 takes the signing time from an X-Amz-Date header; our API adds the same header.
  headers['X-Amz-Date'] = amzDateOf(c.signingDate);
  if (c.sessionToken !== undefined && c.signSessionToken === false) ignore['x-amz-security-token'] = true;
  const { canonicalRequest, stringToSign, signed } = aws4Run(
    c,
    {
      method: wireMethod(c),
      path: aws4Path(c, c.query),
      service: c.service,
      region: c.region,
      headers,
      ...(c.body !== undefined ? { body: c.body } : {}),
      extraHeadersToInclude: include,
      extraHeadersToIgnore: ignore,
    },
    true,
  );
  const added = signerAdded(signed.headers ?? {});
  return {
    signature: /Signature=([0-9a-f]{64})$/.exec(added['authorization'] ?? '')?.[1] ?? '(none)',
    canonicalRequest,
    stringToSign,
    authorization: added['authorization'] ?? '(none)',
    origin: c.origin,
    path: expectedPath(c, canonicalRequest),
    query: canonicalPieces(canonicalRequest.split('\n')[2]!),
    headers: added,
  };
}

/** Both peers' view of a case: smithy's always, aws4's unless `aws4Skip` names a reason. */
export async function peerExpectations(
  c: Case,
): Promise<{ smithy: Expected; aws4: Expected | undefined; aws4Skip: string | undefined }> {
  const skip = aws4Skip(c);
  const smithy = c.kind === 'presign' ? await smithyPresign(c) : await smithySign(c);
  const other = skip !== undefined ? undefined : c.kind === 'presign' ? aws4Presign(c) : aws4Sign(c);
  return { smithy, aws4: other, aws4Skip: skip };
}
