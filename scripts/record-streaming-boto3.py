#!/usr/bin/env python3
"""The boto3 half of scripts/record-streaming-clients.ts: a few uploads over https to its recording server, which
keeps what arrives. boto3 >= 1.36 sends put_object and upload_part aws-chunked over https
(x-amz-content-sha256: STREAMING-UNSIGNED-PAYLOAD-TRAILER, the checksum in a trailer); this needs such a boto3
(the machine's pyenv python has 1.43; Debian's 1.26 sends plain bodies).

    python3 scripts/record-streaming-boto3.py ENDPOINT BUCKET CA_FILE      (credentials from SIGV4_E2E_*)

Prints {"versions": {...}, "cases": [names]} as JSON.
"""
import json
import os
import sys

import boto3
import botocore
from botocore.config import Config

endpoint, bucket, ca_file = sys.argv[1], sys.argv[2], sys.argv[3]
env = os.environ
s3 = boto3.session.Session(
    aws_access_key_id=env["SIGV4_E2E_KEY_ID"],
    aws_secret_access_key=env["SIGV4_E2E_SECRET"],
    region_name=env["SIGV4_E2E_REGION"],
).client(
    "s3",
    endpoint_url=endpoint,
    verify=ca_file,
    config=Config(signature_version="s3v4", s3={"addressing_style": "path"}, retries={"max_attempts": 1, "mode": "standard"}),
)


def pattern(offset, n):
    return bytes((offset + i) % 251 for i in range(n))


cases = []


def case(name, fn):
    fn()
    cases.append(name)


case("put_object: small", lambda: s3.put_object(Bucket=bucket, Key="small.txt", Body=b"hello, aws-chunked\n", ContentType="text/plain"))
case("put_object: empty", lambda: s3.put_object(Bucket=bucket, Key="empty.bin", Body=b""))
case("put_object: 3000 bytes, SHA256", lambda: s3.put_object(Bucket=bucket, Key="sha256.bin", Body=pattern(0, 3000), ChecksumAlgorithm="SHA256"))
case("put_object: SHA1", lambda: s3.put_object(Bucket=bucket, Key="sha1.txt", Body=b"checksummed with SHA-1\n", ChecksumAlgorithm="SHA1"))


def part():
    upload = s3.create_multipart_upload(Bucket=bucket, Key="part.bin")
    s3.upload_part(Bucket=bucket, Key="part.bin", UploadId=upload["UploadId"], PartNumber=1, Body=b"a part, by boto3\n")


case("upload_part: small", part)
print(json.dumps({"versions": {"boto3": boto3.__version__, "botocore": botocore.__version__, "python": sys.version.split()[0]}, "cases": cases}))
