#!/usr/bin/env python3
"""Records vectors/botocore-paths.json: requests signed by botocore's SigV4Auth (AWS's Python signer, as boto3
and the AWS CLI use it), never by this library. test/botocore-paths.test.ts replays them: verifyRequest must
accept each as it was sent, and signRequest must produce the same Authorization header.

    /usr/bin/python3 scripts/record-botocore.py      # Debian's python3-botocore
    python3 scripts/record-botocore.py               # any botocore on the path

`url` is what botocore signed; `sent` is what requests puts on the wire for it: the path as written (sub-delims,
":", "@" and existing escapes kept), dot segments resolved. The fixed clock makes the output the same byte for
byte.
"""
import datetime
import json
import sys
from unittest import mock

import botocore
import requests
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

HOST = 'abc123.execute-api.us-east-1.amazonaws.com'
PATHS = [
    '/prod/events/2024-01-01T10:00:00Z',
    '/prod/users/alice@example.com',
    '/prod/filter/a,b;c=d',
    "/prod/files/report(1)*!.txt",
    "/prod/files/it's$&+=.txt",
    '/prod/x/%7Euser',
    '/prod/x/%7euser/%2Fslash',
    '/prod/a%20b/%C3%BC',
    '/prod/a/./b/../c',
    '/prod//double//slash/',
    '/prod/a/b/..',
]
# botocore signs the query text as written (split on "&" and "=", sorted, not re-encoded), where AWS services
# read the parameters and encode them again: so each query here is already in that canonical form.
QUERIES = ['', '?a=1&a=2&b=', '?q=a%20b&empty=&x=~&y=%2F']
CREDENTIALS = Credentials('AKIDEXAMPLE', 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY')
TOKEN_CREDENTIALS = Credentials('ASIAEXAMPLE', 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', 'AQoDYXdzEPT//////////wEXAMPLEtoken')
NOW = datetime.datetime(2024, 1, 1, 10, 0, 0)

cases = []
for i, path in enumerate(PATHS):
    for j, query in enumerate(QUERIES if i < 4 else ['']):
        for method, body in (('GET', None), ('POST', '{"a":1}')) if j == 0 else (('GET', None),):
            creds = TOKEN_CREDENTIALS if (i + j) % 3 == 2 else CREDENTIALS
            url = f'https://{HOST}{path}{query}'
            headers = {'content-type': 'application/json'} if body else {}
            request = AWSRequest(method=method, url=url, data=body, headers=headers)
            # The clock: botocore < 1.34 reads datetime.datetime.utcnow(), later ones get_current_datetime().
            clock = mock.patch('botocore.auth.get_current_datetime', return_value=NOW, create=True)
            with clock, mock.patch('botocore.auth.datetime') as old_clock:
                old_clock.datetime.utcnow.return_value = NOW
                old_clock.datetime.now.return_value = NOW
                old_clock.timezone = datetime.timezone
                signer = SigV4Auth(creds, 'execute-api', 'us-east-1')
                signer.add_auth(request)
                sent = dict(request.headers.items())
                # The canonical request as signed: recomputed without the Authorization header add_auth added.
                del request.headers['Authorization']
                canonical = signer.canonical_request(request)
            cases.append({
                'method': method,
                'url': url,
                # What requests puts on the wire for that URL (urllib3 resolves dot segments as RFC 3986 says).
                'sent': requests.Request(method, url).prepare().url,
                'headers': {k.lower(): v for k, v in sent.items()},
                **({'body': body} if body else {}),
                'credentials': {'accessKeyId': creds.access_key, 'secretAccessKey': creds.secret_key, **({'sessionToken': creds.token} if creds.token else {})},
                'canonicalRequest': canonical,
            })

out = {
    'description': 'Requests signed by botocore SigV4Auth for service execute-api (non-S3 rules: the path as sent, normalized, encoded once more), recorded with a fixed clock. Never signed by this library. See scripts/record-botocore.py.',
    'botocore': botocore.__version__,
    'python': sys.version.split()[0],
    'signingDate': NOW.strftime('%Y-%m-%dT%H:%M:%SZ'),
    'cases': cases,
}
with open('vectors/botocore-paths.json', 'w') as f:
    f.write(json.dumps(out, indent=1, ensure_ascii=False) + '\n')
print(f'wrote vectors/botocore-paths.json: {len(cases)} cases, botocore {botocore.__version__}')
