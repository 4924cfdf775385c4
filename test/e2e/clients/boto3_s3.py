"""boto3 against the suite's S3 server: one process runs every step in order and prints one JSON object,
{step: {"ok": true, ...} | {"ok": false, "error": {...}}}; test/e2e/clients.e2e.ts asserts on it and on the
server's log. Presigned URLs and POST fields are handed back for the TypeScript side to send. Run twice:

    /usr/bin/python3 boto3_s3.py http://127.0.0.1:PORT BUCKET WORKDIR BIGFILE     Debian's boto3 1.26, plain bodies
    PYTHON boto3_s3.py https://127.0.0.1:PORT BUCKET WORKDIR BIGFILE              boto3 >= 1.36 (pyenv's), over TLS

Over https, boto3 >= 1.36 sends put_object and upload_part aws-chunked (STREAMING-UNSIGNED-PAYLOAD-TRAILER, the
CRC32 in a trailer); the certificate to trust is in SIGV4_E2E_CA_BUNDLE. Credentials come from the environment
(SIGV4_E2E_*), never from ~/.aws.
"""

import base64
import hashlib
import io
import json
import os
import sys

import boto3
import botocore
import requests
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import ClientError

endpoint, bucket, workdir, big = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
env = os.environ
region = env["SIGV4_E2E_REGION"]
https = endpoint.startswith("https:")
verify = env.get("SIGV4_E2E_CA_BUNDLE") if https else None
config = Config(
    signature_version="s3v4",
    s3={"addressing_style": "path"},
    retries={"max_attempts": 1, "mode": "standard"},
    connect_timeout=5,
    read_timeout=20,
)


def client(key_id, secret, token=None, signature_version=None):
    session = boto3.session.Session(
        aws_access_key_id=key_id, aws_secret_access_key=secret, aws_session_token=token, region_name=region
    )
    cfg = config.merge(Config(signature_version=signature_version)) if signature_version else config
    return session.client("s3", endpoint_url=endpoint, config=cfg, verify=verify)


s3 = client(env["SIGV4_E2E_KEY_ID"], env["SIGV4_E2E_SECRET"])
results = {"versions": {"boto3": boto3.__version__, "botocore": botocore.__version__, "requests": requests.__version__}}


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def step(name):
    def run(fn):
        try:
            value = fn()
            results[name] = {"ok": True, **(value or {})}
        except ClientError as error:
            results[name] = {
                "ok": False,
                "error": {
                    "code": error.response.get("Error", {}).get("Code"),
                    "status": error.response.get("ResponseMetadata", {}).get("HTTPStatusCode"),
                    "message": str(error),
                },
            }
        except Exception as error:  # noqa: BLE001 - every failure goes back to the test as data
            results[name] = {"ok": False, "error": {"code": type(error).__name__, "status": None, "message": str(error)}}
        return fn

    return run


HELLO = b"hello from boto3\n"


@step("setup")
def _():
    s3.create_bucket(Bucket=bucket)
    s3.head_bucket(Bucket=bucket)


@step("put")
def _():
    r = s3.put_object(Bucket=bucket, Key="dir/hello.txt", Body=HELLO, ContentType="text/plain", Metadata={"client": "boto3"})
    return {"etag": r["ETag"]}


@step("get")
def _():
    r = s3.get_object(Bucket=bucket, Key="dir/hello.txt")
    body = r["Body"].read()
    return {"body": body.decode(), "contentType": r["ContentType"], "metadata": r["Metadata"]}


@step("head")
def _():
    r = s3.head_object(Bucket=bucket, Key="dir/hello.txt")
    return {"contentLength": r["ContentLength"], "contentType": r["ContentType"], "etag": r["ETag"]}


@step("list")
def _():
    s3.put_object(Bucket=bucket, Key="dir/sub/deeper.txt", Body=b"deeper")
    v2 = s3.list_objects_v2(Bucket=bucket, Prefix="dir/", Delimiter="/")
    v1 = s3.list_objects(Bucket=bucket, Prefix="dir/")
    buckets = s3.list_buckets()
    return {
        "v2Keys": [o["Key"] for o in v2.get("Contents", [])],
        "v2Prefixes": [p["Prefix"] for p in v2.get("CommonPrefixes", [])],
        "v1Keys": [o["Key"] for o in v1.get("Contents", [])],
        "buckets": [b["Name"] for b in buckets["Buckets"]],
    }


@step("copy")
def _():
    s3.copy_object(Bucket=bucket, Key="dir/copy.txt", CopySource={"Bucket": bucket, "Key": "dir/hello.txt"})
    r = s3.get_object(Bucket=bucket, Key="dir/copy.txt")
    return {"body": r["Body"].read().decode(), "contentType": r["ContentType"]}


@step("delete")
def _():
    s3.delete_object(Bucket=bucket, Key="dir/copy.txt")
    try:
        s3.head_object(Bucket=bucket, Key="dir/copy.txt")
        return {"afterStatus": 200}
    except ClientError as error:
        return {"afterStatus": error.response["ResponseMetadata"]["HTTPStatusCode"]}


@step("batch delete")
def _():
    keys = [f"batch/{i}.txt" for i in range(3)]
    for k in keys:
        s3.put_object(Bucket=bucket, Key=k, Body=k.encode())
    r = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": k} for k in keys]})
    left = s3.list_objects_v2(Bucket=bucket, Prefix="batch/").get("KeyCount")
    return {"deleted": sorted(d["Key"] for d in r.get("Deleted", [])), "left": left}


@step("multipart")
def _():
    source = big
    target = os.path.join(workdir, "big.boto3.out")
    transfer = TransferConfig(multipart_threshold=8 * 1024 * 1024, multipart_chunksize=8 * 1024 * 1024, max_concurrency=2)
    s3.upload_file(source, bucket, "big/upload.bin", Config=transfer)
    head = s3.head_object(Bucket=bucket, Key="big/upload.bin")
    s3.download_file(bucket, "big/upload.bin", target, Config=transfer)
    with open(source, "rb") as a, open(target, "rb") as b:
        return {"etag": head["ETag"], "same": sha256(a.read()) == sha256(b.read()), "size": head["ContentLength"]}


@step("put (stream body)")
def _():
    s3.upload_fileobj(io.BytesIO(b"streamed by boto3\n"), bucket, "stream/boto3.txt")
    r = s3.get_object(Bucket=bucket, Key="stream/boto3.txt")
    return {"body": r["Body"].read().decode()}


@step("presigned GET")
def _():
    return {"url": s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "dir/hello.txt"}, ExpiresIn=300)}


@step("presigned PUT")
def _():
    url = s3.generate_presigned_url(
        "put_object", Params={"Bucket": bucket, "Key": "presigned/put.txt", "ContentType": "text/plain"}, ExpiresIn=300
    )
    return {"url": url}


@step("presigned POST")
def _():
    post = s3.generate_presigned_post(
        Bucket=bucket,
        Key="uploads/${filename}",
        Fields={"Content-Type": "text/plain", "x-amz-meta-client": "boto3"},
        Conditions=[
            {"Content-Type": "text/plain"},
            {"x-amz-meta-client": "boto3"},
            ["starts-with", "$key", "uploads/"],
            ["content-length-range", 1, 1024],
        ],
        ExpiresIn=300,
    )
    files = {"file": ("posted file.txt", b"posted by boto3\n", "text/plain")}
    sent = requests.post(post["url"], data=post["fields"], files=files, timeout=20, verify=verify)
    too_large = requests.post(
        post["url"], data=post["fields"], files={"file": ("big.txt", b"x" * 1025)}, timeout=20, verify=verify
    )
    return {
        "url": post["url"],
        "fields": sorted(post["fields"].keys()),
        "status": sent.status_code,
        "tooLargeStatus": too_large.status_code,
        "tooLargeBody": too_large.text,
    }


@step("session token")
def _():
    temp = client(env["SIGV4_E2E_TEMP_KEY_ID"], env["SIGV4_E2E_TEMP_SECRET"], env["SIGV4_E2E_TEMP_TOKEN"])
    temp.put_object(Bucket=bucket, Key="token/boto3.txt", Body=b"with a session token")
    body = temp.get_object(Bucket=bucket, Key="token/boto3.txt")["Body"].read().decode()
    url = temp.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "token/boto3.txt"}, ExpiresIn=300)
    return {"body": body, "presignedUrl": url}


@step("refused: wrong secret")
def _():
    client(env["SIGV4_E2E_KEY_ID"], env["SIGV4_E2E_WRONG_SECRET"]).get_object(Bucket=bucket, Key="neg/wrong-secret.txt")


@step("refused: tampered URL")
def _():
    return {"url": s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "dir/hello.txt"}, ExpiresIn=300)}


@step("refused: wrong method")
def _():
    return {"url": s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "dir/hello.txt"}, ExpiresIn=300)}


@step("refused: expired")
def _():
    return {"url": s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "dir/hello.txt"}, ExpiresIn=60)}


@step("refused: altered body")
def _():
    signed = b"the body that was signed"
    sent = b"the body that was SENT!!"

    def alter(request, **_):
        if not https:
            request.body = sent
            return
        # aws-chunked: the body is "18\r\nthe body that was signed\r\n0\r\nx-amz-checksum-crc32:...\r\n\r\n",
        # its CRC32 computed while it was framed: four bytes of the data changed on the way.
        framed = bytearray(request.body.read())
        start = framed.index(b"\r\n") + 2
        assert framed[start : start + len(signed)] == signed, framed
        framed[start + 18 : start + 22] = b"SENT"
        request.body = bytes(framed)

    s3.meta.events.register("before-send.s3.PutObject", alter)
    try:
        s3.put_object(Bucket=bucket, Key="neg/altered.txt", Body=signed)
    finally:
        s3.meta.events.unregister("before-send.s3.PutObject", alter)


@step("refused: SigV2")
def _():
    # Signature Version 2 (signature_version "s3": Authorization: AWS id:signature), which this library refuses.
    client(env["SIGV4_E2E_KEY_ID"], env["SIGV4_E2E_SECRET"], signature_version="s3").get_object(
        Bucket=bucket, Key="dir/hello.txt"
    )


print(json.dumps(results))
