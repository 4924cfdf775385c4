#!/usr/bin/env python3
"""Records vectors/botocore-s3-urls.json: presigned S3 GET URLs made by botocore (the S3 client of boto3 and the
AWS CLI: its S3 endpoint rules, its key serialization, its S3SigV4QueryAuth), never by this library, for object
keys that a URL template would break (`?`, `#`, `%`, `+`, spaces, `//`, dot segments, unicode) and for each
addressing option: virtual-hosted and path-style, dual-stack, Transfer Acceleration, FIPS, other partitions,
custom endpoints (with a path prefix, on an IP address, over http with a dotted bucket). Options botocore refuses
are recorded with its error. test/s3/botocore-s3-urls.test.ts replays them: s3Url must build the same URL, and
presignUrl over it must give botocore's canonical request and signature.

    python3 scripts/record-botocore-s3.py    # botocore 1.43 (pip); Debian's 1.29 has older endpoint rules

Each case holds the options in s3Url's terms and the botocore configuration they map to. The one mapping that is
not a rename: s3Url's default addressing on AWS (virtual-hosted where the bucket can be a host name) is botocore's
addressing_style "virtual", because botocore's "auto" presigns virtual-hosted URLs on the legacy global host
s3.amazonaws.com in every region; with an endpoint, s3Url's default is botocore's "auto" (path-style).
"""
import datetime
import json
import sys
from unittest import mock

import botocore
import botocore.session
from botocore.auth import S3SigV4QueryAuth
from botocore.config import Config

CREDENTIALS = {'accessKeyId': 'AKIDEXAMPLE', 'secretAccessKey': 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY'}
NOW = datetime.datetime(2024, 1, 1, 10, 0, 0)
EXPIRES = 900

KEYS = [
    'photo.jpg',
    'photo.jpg?x-amz-acl=public-read',
    'report#page=2.pdf',
    'a b+c%20d%2Fe.txt',
    '100%',
    '/leading//double//slash/',
    'x/./y/../z',
    '..',
    '.',
    'dir/',
    'ü/😀/日本語.txt',
    "!'()*~-._",
    ':@&=$,;[]{}<>^|`"\\',
    'tab\tnew\nline\x7f',
    'k' * 1024,
    '€' * 341,  # 1023 bytes of UTF-8
]

# (s3Url options without bucket and key, botocore client arguments): the same addressing in both.
CONFIGS = [
    ({'region': 'us-east-1'}, {'region': 'us-east-1', 's3': {'addressing_style': 'virtual', 'us_east_1_regional_endpoint': 'regional'}}),
    ({'region': 'us-east-1', 'useGlobalEndpoint': True}, {'region': 'us-east-1', 's3': {'addressing_style': 'virtual', 'us_east_1_regional_endpoint': 'legacy'}}),
    ({'region': 'eu-west-1'}, {'region': 'eu-west-1', 's3': {'addressing_style': 'virtual'}}),
    ({'region': 'eu-west-1', 'forcePathStyle': True}, {'region': 'eu-west-1', 's3': {'addressing_style': 'path'}}),
    ({'region': 'ap-southeast-2', 'useDualstackEndpoint': True}, {'region': 'ap-southeast-2', 's3': {'addressing_style': 'virtual', 'use_dualstack_endpoint': True}}),
    ({'region': 'ap-southeast-2', 'useDualstackEndpoint': True, 'forcePathStyle': True}, {'region': 'ap-southeast-2', 's3': {'addressing_style': 'path', 'use_dualstack_endpoint': True}}),
    ({'region': 'us-west-2', 'useAccelerateEndpoint': True}, {'region': 'us-west-2', 's3': {'addressing_style': 'virtual', 'use_accelerate_endpoint': True}}),
    ({'region': 'us-west-2', 'useAccelerateEndpoint': True, 'useDualstackEndpoint': True}, {'region': 'us-west-2', 's3': {'addressing_style': 'virtual', 'use_accelerate_endpoint': True, 'use_dualstack_endpoint': True}}),
    ({'region': 'us-gov-west-1', 'useFipsEndpoint': True}, {'region': 'us-gov-west-1', 'use_fips_endpoint': True, 's3': {'addressing_style': 'virtual'}}),
    ({'region': 'us-east-2', 'useFipsEndpoint': True, 'useDualstackEndpoint': True}, {'region': 'us-east-2', 'use_fips_endpoint': True, 's3': {'addressing_style': 'virtual', 'use_dualstack_endpoint': True}}),
    ({'region': 'us-east-2', 'useFipsEndpoint': True, 'forcePathStyle': True}, {'region': 'us-east-2', 'use_fips_endpoint': True, 's3': {'addressing_style': 'path'}}),
    ({'region': 'cn-north-1'}, {'region': 'cn-north-1', 's3': {'addressing_style': 'virtual'}}),
    ({'region': 'cn-northwest-1', 'forcePathStyle': True}, {'region': 'cn-northwest-1', 's3': {'addressing_style': 'path'}}),
    ({'region': 'us-iso-east-1'}, {'region': 'us-iso-east-1', 's3': {'addressing_style': 'virtual'}}),
    ({'region': 'eu-isoe-west-1'}, {'region': 'eu-isoe-west-1', 's3': {'addressing_style': 'virtual'}}),
    ({'endpoint': 'http://localhost:9000'}, {'region': 'us-east-1', 'endpoint_url': 'http://localhost:9000', 's3': {'addressing_style': 'auto'}}),
    ({'endpoint': 'http://localhost:9000', 'forcePathStyle': False}, {'region': 'us-east-1', 'endpoint_url': 'http://localhost:9000', 's3': {'addressing_style': 'virtual'}}),
    ({'endpoint': 'https://minio.example.com/storage/'}, {'region': 'us-east-1', 'endpoint_url': 'https://minio.example.com/storage/', 's3': {'addressing_style': 'path'}}),
    ({'endpoint': 'https://minio.example.com/storage', 'forcePathStyle': False}, {'region': 'us-east-1', 'endpoint_url': 'https://minio.example.com/storage', 's3': {'addressing_style': 'virtual'}}),
    ({'endpoint': 'http://127.0.0.1:9000', 'forcePathStyle': False}, {'region': 'us-east-1', 'endpoint_url': 'http://127.0.0.1:9000', 's3': {'addressing_style': 'virtual'}}),
    ({'endpoint': 'https://0123456789abcdef.r2.cloudflarestorage.com', 'forcePathStyle': False}, {'region': 'auto', 'endpoint_url': 'https://0123456789abcdef.r2.cloudflarestorage.com', 's3': {'addressing_style': 'virtual'}}),
    ({'endpoint': 'https://s3.us-west-004.backblazeb2.com'}, {'region': 'us-west-004', 'endpoint_url': 'https://s3.us-west-004.backblazeb2.com', 's3': {'addressing_style': 'auto'}}),
]

BUCKETS = ['examplebucket', 'example.bucket.name', 'Legacy_Bucket']

# Options botocore refuses (its endpoint rules), each with a bucket. (Acceleration with addressing_style "path" is
# not one: botocore silently makes the URL virtual-hosted; nor are dual-stack and FIPS with an endpoint, which
# botocore ignores. s3Url refuses both, as the AWS SDK for JavaScript does, which test/s3/s3-url-sdk.test.ts checks.)
REFUSED = [
    ({'region': 'us-west-2', 'useAccelerateEndpoint': True}, {'region': 'us-west-2', 's3': {'addressing_style': 'virtual', 'use_accelerate_endpoint': True}}, 'example.bucket.name'),
    ({'region': 'us-west-2', 'useAccelerateEndpoint': True, 'useFipsEndpoint': True}, {'region': 'us-west-2', 'use_fips_endpoint': True, 's3': {'addressing_style': 'virtual', 'use_accelerate_endpoint': True}}, 'examplebucket'),
    ({'region': 'cn-north-1', 'useFipsEndpoint': True}, {'region': 'cn-north-1', 'use_fips_endpoint': True, 's3': {'addressing_style': 'virtual'}}, 'examplebucket'),
    ({'region': 'cn-north-1', 'useAccelerateEndpoint': True}, {'region': 'cn-north-1', 's3': {'addressing_style': 'virtual', 'use_accelerate_endpoint': True}}, 'examplebucket'),
    ({'endpoint': 'http://localhost:9000', 'useAccelerateEndpoint': True}, {'region': 'us-east-1', 'endpoint_url': 'http://localhost:9000', 's3': {'use_accelerate_endpoint': True}}, 'examplebucket'),
]

session = botocore.session.get_session()
canonical = []
original = S3SigV4QueryAuth.canonical_request


def recording(self, request):
    text = original(self, request)
    canonical.append(text)
    return text


def presign(client_args, bucket, key):
    args = dict(client_args)
    config = Config(signature_version='s3v4', s3=args.pop('s3', {}), use_fips_endpoint=args.pop('use_fips_endpoint', False))
    client = session.create_client(
        's3',
        region_name=args.pop('region'),
        endpoint_url=args.pop('endpoint_url', None),
        aws_access_key_id=CREDENTIALS['accessKeyId'],
        aws_secret_access_key=CREDENTIALS['secretAccessKey'],
        config=config,
    )
    assert not args, args
    canonical.clear()
    # The clock: botocore < 1.34 reads datetime.datetime.utcnow(), later ones get_current_datetime().
    with mock.patch('botocore.auth.get_current_datetime', return_value=NOW, create=True), mock.patch(
        'botocore.auth.datetime'
    ) as old_clock, mock.patch.object(S3SigV4QueryAuth, 'canonical_request', recording):
        old_clock.datetime.utcnow.return_value = NOW
        old_clock.datetime.now.return_value = NOW
        old_clock.timezone = datetime.timezone
        url = client.generate_presigned_url('get_object', Params={'Bucket': bucket, 'Key': key}, ExpiresIn=EXPIRES)
    assert len(canonical) == 1
    return url, canonical[0]


def signing_region(client_args):
    return client_args['region']


# Every key under the addressings that place it differently (virtual-hosted, path-style, endpoint path-style with a
# prefix and virtual-hosted), the long keys under the first only; four keys under the others.
EVERY_KEY = {0, 3, 15, 17, 18}

cases = []
for n, (options, client_args) in enumerate(CONFIGS):
    # Transfer Acceleration is virtual-hosted only: a bucket that cannot be a host name is refused (below).
    for bucket in BUCKETS[:1] if options.get('useAccelerateEndpoint') else BUCKETS:
        for key in (KEYS if n == 0 else KEYS[:-2]) if bucket == 'examplebucket' and n in EVERY_KEY else KEYS[:4]:
            url, canonical_request = presign(client_args, bucket, key)
            cases.append({
                'options': {'bucket': bucket, 'key': key, **options},
                'botocore': client_args,
                'region': signing_region(client_args),
                'url': url,
                'canonicalRequest': canonical_request,
            })

refused = []
for options, client_args, bucket in REFUSED:
    try:
        presign(client_args, bucket, 'photo.jpg')
    except Exception as error:  # noqa: BLE001 (the error is what is recorded)
        refused.append({
            'options': {'bucket': bucket, 'key': 'photo.jpg', **options},
            'botocore': client_args,
            'error': f'{type(error).__name__}: {error}',
        })
    else:
        sys.exit(f'botocore accepted {options} {bucket}: not a refusal')

out = {
    'description': 'Presigned S3 GET URLs made by botocore (generate_presigned_url: its S3 endpoint rules, key serialization and S3SigV4QueryAuth) for awkward keys under each addressing option, and the options it refuses, recorded with a fixed clock. Never made by this library. See scripts/record-botocore-s3.py.',
    'botocore': botocore.__version__,
    'python': sys.version.split()[0],
    'signingDate': NOW.strftime('%Y-%m-%dT%H:%M:%SZ'),
    'expiresIn': EXPIRES,
    'credentials': CREDENTIALS,
    'cases': cases,
    'refused': refused,
}
with open('vectors/botocore-s3-urls.json', 'w') as f:
    f.write(json.dumps(out, indent=1, ensure_ascii=False) + '\n')
print(f'wrote vectors/botocore-s3-urls.json: {len(cases)} URLs, {len(refused)} refusals, botocore {botocore.__version__}')
