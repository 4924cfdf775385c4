// The main job: presign an S3 GET and PUT for a bucket and key and print the URLs. The URL is built from the bucket
// and the key as data (s3Url), so a key with "?", "#", "%" or spaces names that object and nothing else.
// Credentials come from the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, optional AWS_SESSION_TOKEN,
// AWS_REGION; S3_ENDPOINT for an S3-compatible store); without them it uses AWS's documented example credentials,
// so it runs on a fresh machine. Usage:
//   npm run example -- [bucket] [key] [expires-in seconds]
import { presignUrl, s3Url } from '../src/index.js';

const env = process.env;
const credentials = env['AWS_ACCESS_KEY_ID']
  ? {
      accessKeyId: env['AWS_ACCESS_KEY_ID'],
      secretAccessKey: env['AWS_SECRET_ACCESS_KEY'] ?? '',
      ...(env['AWS_SESSION_TOKEN'] ? { sessionToken: env['AWS_SESSION_TOKEN'] } : {}),
    }
  : { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
if (!env['AWS_ACCESS_KEY_ID'])
  console.error('(no AWS_ACCESS_KEY_ID in the environment: using AWS example credentials)');

const bucket = process.argv[2] ?? 'examplebucket';
const key = process.argv[3] ?? 'photos/a b+c ü?.jpg';
const expiresIn = Number(process.argv[4] ?? 900);
const region = env['AWS_REGION'] ?? env['AWS_DEFAULT_REGION'] ?? 'us-east-1';
const endpoint = env['S3_ENDPOINT'];
const url = s3Url({ bucket, key, region, ...(endpoint ? { endpoint } : {}) });

const get = await presignUrl({ url, service: 's3', region, credentials, expiresIn });
console.log(`GET (until ${get.expiresAt.toISOString()}):\n${get.url}\n`);

const put = await presignUrl({
  url,
  method: 'PUT',
  service: 's3',
  region,
  credentials,
  expiresIn,
  headers: { 'content-type': 'image/jpeg' },
});
console.log(`PUT, send these headers: ${JSON.stringify(put.headers)}\n${put.url}`);
console.log(`\ncurl -X PUT -H 'content-type: image/jpeg' --data-binary @photo.jpg '${put.url}'`);
