"""botocore's SigV4Auth + requests against the suite's API-Gateway-style listener (service execute-api).

    /usr/bin/python3 botocore_apigw.py < cases.json

stdin: {"region": ..., "keyId": ..., "secret": ..., "cases": [{"name", "method", "url", "body"?, "headers"?}]}
stdout: [{"name", "status", "body", "sentUrl"}] in the same order.

Each request is signed with botocore.auth.SigV4Auth(credentials, 'execute-api', region).add_auth(AWSRequest(...)), then
sent with requests. requests re-quotes a URL when it prepares it (its requote_uri turns %7E into ~), which would
send another path than the one signed: the prepared request's URL is set back to the signed one, so the server
receives exactly what botocore signed.
"""

import json
import sys

import requests
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

spec = json.load(sys.stdin)
credentials = Credentials(spec["keyId"], spec["secret"])
session = requests.Session()
session.trust_env = False  # no proxy, no netrc: straight to 127.0.0.1
out = []
for case in spec["cases"]:
    body = case.get("body")
    data = body.encode("utf-8") if body is not None else None
    request = AWSRequest(method=case["method"], url=case["url"], data=data, headers=case.get("headers", {}))
    SigV4Auth(credentials, "execute-api", spec["region"]).add_auth(request)
    prepared = requests.Request(case["method"], case["url"], headers=dict(request.headers.items()), data=data).prepare()
    prepared.url = case["url"]
    try:
        response = session.send(prepared, timeout=20)
        out.append({"name": case["name"], "status": response.status_code, "body": response.text, "sentUrl": prepared.url})
    except Exception as error:  # noqa: BLE001 - reported to the test as data
        out.append({"name": case["name"], "status": None, "body": repr(error), "sentUrl": prepared.url})
print(json.dumps(out))
