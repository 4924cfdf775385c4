// draftPresign and finishPresign, the two halves of presignUrl around its crypto: the draft a caller gets holds the
// stages and the URL, never the credentials, and finishing it with the stages' signature gives presignUrl's result.

import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { draftPresign, finishPresign, presignUrl, type PresignOptions } from '../../src/index.js';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const TOKEN = 'IQoJb3JpZ2luX2VjEXAMPLEtokenEXAMPLEtoken';
const options: PresignOptions = {
  url: 'https://examplebucket.s3.amazonaws.com/test.txt',
  service: 's3',
  region: 'us-east-1',
  credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: SECRET, sessionToken: TOKEN },
  signingDate: '2013-05-24T00:00:00Z',
  expiresIn: 86400,
  signSessionToken: false,
  cache: false,
};

describe('draftPresign', () => {
  it('holds the stages and the URL, and no credentials', () => {
    const draft = draftPresign(options);
    expect(Object.keys(draft).sort()).toEqual(['stages', 'unsignedUrl', 'urlSuffix']);
    const everything = inspect(draft, { depth: 10, showHidden: true }) + JSON.stringify(draft);
    expect(everything).not.toContain(SECRET);
    // The token is part of the URL (urlSuffix here, as signSessionToken is false), as presignUrl sends it; the
    // credentials object itself is not there.
    expect(draft.urlSuffix).toBe(`&X-Amz-Security-Token=${TOKEN}`);
    expect(everything).not.toContain('secretAccessKey');
  });

  it('finished with the signature of its stages, it is what presignUrl returns', async () => {
    const signed = await presignUrl(options);
    expect(finishPresign(draftPresign(options), signed.stringToSign, signed.signature)).toEqual(signed);
    expect(signed.url).toBe(
      `${draftPresign(options).unsignedUrl}&X-Amz-Security-Token=${TOKEN}&X-Amz-Signature=${signed.signature}`,
    );
  });
});
