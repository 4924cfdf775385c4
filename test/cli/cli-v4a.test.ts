// The command line with SigV4a: `--sigv4a`, `--region-set` (and AWS_SIGV4A_SIGNING_REGION_SET, the profile's
// sigv4a_signing_region_set), and S3 Multi-Region Access Point ARNs, mapped as the AWS CLI maps them. Run in this
// process (`run(argv, io)`), with a temporary HOME and nothing of this machine's environment. SigV4a signatures
// are randomized: every URL and header is checked by the library's verifier and node:crypto, and compared with the
// library's own result for the same request up to the signature.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { presignUrlV4a, signRequestV4a, verifyPresignedUrl, verifyRequest } from '../../src/index.js';
import { run as runCli } from '../../src/cli/run.js';
import { nodeVerifies, publicKeyOf, referencePublicKey, referenceScalar } from '../support/v4a.js';

const work = mkdtempSync(join(tmpdir(), 'sigv4-cli-v4a-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const KEY = { accessKeyId: 'AKIDV4ACLIEXAMPLE', secretAccessKey: 'cliSecret/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const PUBLIC = publicKeyOf(referencePublicKey(referenceScalar(KEY.accessKeyId, KEY.secretAccessKey)));
const SIGNING_DATE = '2024-05-01T12:00:00Z';
const NOW = Date.parse(SIGNING_DATE);
const ARN = 's3://arn:aws:s3::123456789012:accesspoint/mfzwi23gnjvgw.mrap';
const MRAP_HOST = 'mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com';
const lookup = (id: string) => (id === KEY.accessKeyId ? { secretAccessKey: KEY.secretAccessKey } : undefined);

let homes = 0;
function makeHome(config = ''): string {
  const home = join(work, `home${++homes}`);
  mkdirSync(join(home, '.aws'), { recursive: true });
  writeFileSync(join(home, '.aws', 'config'), config);
  return home;
}

async function cli(
  args: readonly string[],
  env: Record<string, string> = {},
  home = makeHome(),
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  // presign and sign are dated with --date (verify takes its clock from --now).
  const dated = args[0] === 'presign' || args[0] === 'sign' ? [...args, '--date', SIGNING_DATE] : args;
  const code = await runCli(dated, {
    env: {
      HOME: home,
      AWS_ACCESS_KEY_ID: KEY.accessKeyId,
      AWS_SECRET_ACCESS_KEY: KEY.secretAccessKey,
      ...env,
    },
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    readStdin: () => new Uint8Array(),
  });
  return { code, stdout, stderr };
}

async function ok(args: readonly string[], env?: Record<string, string>, home?: string): Promise<string> {
  const run = await cli(args, env, home);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return run.stdout;
}

async function fails(code: 1 | 2, message: RegExp, args: readonly string[], env?: Record<string, string>) {
  const run = await cli(args, env);
  expect(run.stdout).toBe('');
  expect(run.stderr).toMatch(message);
  expect(run.stderr).toMatch(/^sigv4( \w+)?: [^\n]+\n$/);
  expect(run.stderr).not.toContain(KEY.secretAccessKey);
  expect(run.code).toBe(code);
}

const withoutSignature = (url: string): string => url.replace(/&X-Amz-Signature=\w+$/, '');
const stringToSignOf = async (url: string, region = 'eu-central-1') =>
  (await verifyPresignedUrl({ url, method: 'GET', service: 's3', region, getCredentials: lookup, now: NOW }))
    .stringToSign;

describe('sigv4 presign with SigV4a', () => {
  it('a Multi-Region Access Point ARN: its global host, SigV4a, every region; as the library presigns it', async () => {
    const url = (await ok(['presign', `${ARN}/photos/a b+c.jpg`, '--expires-in', '600'])).trim();
    const expected = await presignUrlV4a({
      url: `https://${MRAP_HOST}/photos/a%20b%2Bc.jpg`,
      service: 's3',
      regionSet: '*',
      credentials: KEY,
      signingDate: SIGNING_DATE,
      expiresIn: 600,
    });
    // The library's parameters, in the order aws-c-auth writes them (the AWS CLI signs SigV4a through awscrt).
    const sorted = (u: string) => withoutSignature(u).split(/[?&]/).sort();
    expect(sorted(url)).toEqual(sorted(expected.url));
    expect(withoutSignature(url)).toBe(
      `https://${MRAP_HOST}/photos/a%20b%2Bc.jpg?X-Amz-Algorithm=AWS4-ECDSA-P256-SHA256&X-Amz-Credential=AKIDV4ACLIEXAMPLE%2F20240501%2Fs3%2Faws4_request&X-Amz-Date=20240501T120000Z&X-Amz-SignedHeaders=host&X-Amz-Expires=600&X-Amz-Region-Set=%2A`,
    );
    const stringToSign = await stringToSignOf(url);
    expect(stringToSign).toBe(expected.stringToSign);
    expect(nodeVerifies(PUBLIC, stringToSign, /X-Amz-Signature=(\w+)$/.exec(url)![1]!)).toBe(true);
  });

  it("aws-c-auth's order with a session token and the request's own parameters: theirs first, the token before the region set", async () => {
    const url = (
      await ok(['presign', `${ARN}/k`, '--query', 'versionId=3'], { AWS_SESSION_TOKEN: 'token/EXAMPLE' })
    ).trim();
    expect(
      withoutSignature(url)
        .slice(url.indexOf('?') + 1)
        .split('&')
        .map((p) => p.slice(0, p.indexOf('='))),
    ).toEqual([
      'versionId',
      'X-Amz-Algorithm',
      'X-Amz-Credential',
      'X-Amz-Date',
      'X-Amz-SignedHeaders',
      'X-Amz-Expires',
      'X-Amz-Security-Token',
      'X-Amz-Region-Set',
    ]);
    expect(url).toMatch(/&X-Amz-Signature=[0-9a-f]+$/);
  });

  it('the ARN alone with --bucket-url is the access point root; --region-set narrows it; --json says where it is valid', async () => {
    const root = (await ok(['presign', ARN, '--bucket-url'])).trim();
    expect(root).toMatch(/^https:\/\/mfzwi23gnjvgw\.mrap\.accesspoint\.s3-global\.amazonaws\.com\/\?/);
    const json = JSON.parse(await ok(['presign', `${ARN}/k`, '--region-set', 'us-east-1,eu-west-1', '--json'])) as {
      url: string;
    };
    expect(json.url).toContain('&X-Amz-Region-Set=us-east-1%2Ceu-west-1&');
    await stringToSignOf(json.url, 'eu-west-1');
  });

  it('--sigv4a signs s3://BUCKET/KEY for its region; --region-set, the environment and the profile set the regions', async () => {
    const region = (await ok(['presign', 's3://examplebucket/k', '--sigv4a', '--region', 'eu-west-1'])).trim();
    expect(region).toMatch(/^https:\/\/examplebucket\.s3\.eu-west-1\.amazonaws\.com\/k\?X-Amz-Algorithm=AWS4-ECDSA/);
    expect(region).toContain('&X-Amz-Region-Set=eu-west-1&');
    const home = makeHome('[default]\nsigv4a_signing_region_set = us-west-2,us-east-2\n');
    const fromProfile = (await ok(['presign', 's3://examplebucket/k', '--sigv4a'], {}, home)).trim();
    expect(fromProfile).toContain('&X-Amz-Region-Set=us-west-2%2Cus-east-2&');
    const fromEnv = (
      await ok(['presign', 's3://examplebucket/k', '--sigv4a'], { AWS_SIGV4A_SIGNING_REGION_SET: '*' }, home)
    ).trim();
    expect(fromEnv).toContain('&X-Amz-Region-Set=%2A&');
    const fromFlag = (
      await ok(
        ['presign', 's3://examplebucket/k', '--region-set', 'ap-south-1'],
        { AWS_SIGV4A_SIGNING_REGION_SET: '*' },
        home,
      )
    ).trim();
    expect(fromFlag).toContain('&X-Amz-Region-Set=ap-south-1&');
    // The setting is read only for SigV4a: without --sigv4a it is a SigV4 URL.
    const plain = (await ok(['presign', 's3://examplebucket/k'], { AWS_SIGV4A_SIGNING_REGION_SET: '*' }, home)).trim();
    expect(plain).toContain('X-Amz-Algorithm=AWS4-HMAC-SHA256&');
    for (const url of [region, fromProfile, fromEnv, fromFlag]) {
      await stringToSignOf(url, url === fromFlag ? 'ap-south-1' : url === fromProfile ? 'us-east-2' : 'eu-west-1');
    }
  });

  it('an http(s) URL with --region-set needs no --region', async () => {
    const url = (
      await ok([
        'presign',
        'https://example.execute-api.amazonaws.com/prod/items',
        '--service',
        'execute-api',
        '--region-set',
        '*',
      ])
    ).trim();
    const verified = await verifyPresignedUrl({
      url,
      method: 'GET',
      service: 'execute-api',
      region: 'sa-east-1',
      getCredentials: lookup,
      now: NOW,
    });
    expect(verified.regionSet).toEqual(['*']);
  });
});

describe('sigv4 sign with SigV4a', () => {
  it('signs for a Multi-Region Access Point with x-amz-region-set, as the library does, and verifies', async () => {
    const out = await ok(['sign', `${ARN}/report.csv`, '--method', 'PUT', '--data', 'a,b', '--json']);
    const signed = JSON.parse(out) as { method: string; url: string; headers: Record<string, string> };
    expect(signed.url).toBe(`https://${MRAP_HOST}/report.csv`);
    expect(signed.headers['x-amz-region-set']).toBe('*');
    expect(signed.headers['authorization']).toMatch(
      /^AWS4-ECDSA-P256-SHA256 Credential=AKIDV4ACLIEXAMPLE\/20240501\/s3\/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-region-set, Signature=30/,
    );
    const verified = await verifyRequest({
      url: signed.url,
      method: 'PUT',
      headers: signed.headers,
      body: 'a,b',
      service: 's3',
      region: 'ap-northeast-1',
      getCredentials: lookup,
      now: NOW,
    });
    const library = await signRequestV4a({
      url: `https://${MRAP_HOST}/report.csv`,
      method: 'PUT',
      service: 's3',
      regionSet: '*',
      credentials: KEY,
      signingDate: SIGNING_DATE,
      body: 'a,b',
    });
    expect(verified.canonicalRequest).toBe(library.canonicalRequest);
  });
});

describe('sigv4 verify with SigV4a', () => {
  it('verifies a SigV4a URL for a region of its set, and says so', async () => {
    const url = (await ok(['presign', `${ARN}/k`, '--region-set', 'eu-west-1,us-east-1'])).trim();
    const text = await ok(['verify', url, '--now', SIGNING_DATE]);
    expect(text).toContain('valid: signed by AKIDV4ACLIEXAMPLE (the environment)');
    expect(text).toContain('region set: eu-west-1,us-east-1 (SigV4a)');
    const json = JSON.parse(await ok(['verify', url, '--now', SIGNING_DATE, '--json'])) as Record<string, unknown>;
    expect(json).toMatchObject({
      valid: true,
      algorithm: 'AWS4-ECDSA-P256-SHA256',
      credentialScope: '20240501/s3/aws4_request',
      region: 'eu-west-1',
      regionSet: ['eu-west-1', 'us-east-1'],
    });
    const everywhere = (await ok(['presign', `${ARN}/k`])).trim();
    expect(await ok(['verify', everywhere, '--now', SIGNING_DATE])).toContain('region set: * (SigV4a)');
  });
});

describe('errors', () => {
  it('refuses region flags with a Multi-Region Access Point, and a malformed region set', async () => {
    await fails(2, /--region does not apply to a Multi-Region Access Point/, [
      'presign',
      `${ARN}/k`,
      '--region',
      'us-east-1',
    ]);
    await fails(2, /--endpoint-url does not apply to a Multi-Region Access Point/, [
      'presign',
      `${ARN}/k`,
      '--endpoint-url',
      'http://localhost:9000',
    ]);
    await fails(2, /the region set "us-east-1, us-west-2" from --region-set expected comma-separated region names/, [
      'presign',
      's3://examplebucket/k',
      '--region-set',
      'us-east-1, us-west-2',
    ]);
    await fails(
      1,
      /the region set "US-EAST-1" from AWS_SIGV4A_SIGNING_REGION_SET expected comma-separated region names/,
      ['presign', 's3://examplebucket/k', '--sigv4a'],
      { AWS_SIGV4A_SIGNING_REGION_SET: 'US-EAST-1' },
    );
    await fails(2, /no region to sign "https:\/\/example\.com\/" for: pass --region or --region-set/, [
      'sign',
      'https://example.com/',
      '--sigv4a',
    ]);
  });
});
