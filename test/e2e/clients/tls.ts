// A self-signed certificate for 127.0.0.1, made with the openssl command line when a test starts (nothing is
// checked in, nothing is downloaded): botocore sends aws-chunked uploads only over https, so the suite's S3 server
// listens on https too, and the clients trust this certificate as their only CA.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SelfSigned {
  /** PEM private key and certificate, for https.createServer. */
  readonly key: string;
  readonly cert: string;
  /** The certificate's file: the CA bundle a client is given (boto3's `verify`, Node's `ca`). */
  readonly caFile: string;
}

/** Writes key.pem and cert.pem (P-256, valid two days, for IP 127.0.0.1 and localhost) into `dir`. */
export function selfSignedCert(dir: string): SelfSigned {
  const keyFile = join(dir, 'key.pem');
  const caFile = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      caFile,
      '-days',
      '2',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], timeout: 20_000 },
  );
  return { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(caFile, 'utf8'), caFile };
}
