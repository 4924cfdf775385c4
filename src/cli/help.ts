// The --help texts. Each fits an 100-column terminal and ends with an example that works as written.

export const MAIN_HELP = `sigv4: AWS Signature Version 4 from the command line (presigned URLs, signed requests, verification)

Usage:
  sigv4 presign s3://BUCKET/KEY | URL [options]   print a presigned URL
  sigv4 sign URL [--method M] [options]           print the signed headers of a request, or a curl command
  sigv4 verify URL [--method M] [--now ISO]       check a presigned URL with the local credentials
  sigv4 COMMAND --help                            the options of a command
  sigv4 --version

Credentials and settings are found as the AWS CLI finds them: flags, then AWS_ACCESS_KEY_ID,
AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION, AWS_DEFAULT_REGION, AWS_PROFILE,
AWS_ENDPOINT_URL(_S3), then ~/.aws/credentials and ~/.aws/config (AWS_SHARED_CREDENTIALS_FILE,
AWS_CONFIG_FILE). Static keys and credential_process are used; SSO, IAM roles and instance metadata
need the network and are refused with the way out (aws configure export-credentials). An s3:// URL
follows the AWS CLI's settings: dual-stack, FIPS, acceleration, addressing style (see docs/cli.md).

Exit codes: 0 success, 1 failure (no credentials, unreadable file, invalid signature), 2 usage error.

Example:
  AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY \\
    sigv4 presign s3://examplebucket/photos/cat.jpg --expires-in 600
`;

const COMMON = `  --region R             region of the signature (s3:// without one: s3.amazonaws.com, us-east-1)
  --sigv4a               sign with SigV4a (AWS4-ECDSA-P256-SHA256): one signature for a set of regions
  --region-set SET       SigV4a's regions, us-east-1,us-west-2 or * (implies --sigv4a; default: the
                         sigv4a_signing_region_set setting, else the region)
  --profile P            profile of ~/.aws/credentials and ~/.aws/config (default: AWS_PROFILE, else default)
  --service S            signing name: s3 (default), execute-api, lambda, …; with an http(s) URL
  --endpoint-url URL     for s3://: an S3-compatible endpoint, e.g. http://localhost:9000 (path-style)
  --path-style           for s3://: https://HOST/BUCKET/KEY instead of https://BUCKET.HOST/KEY
  --bucket-url           for s3://BUCKET without a key: sign the bucket's own URL (a GET lists it)
  --date TIME            sign as of TIME, not now: ISO 8601 (2024-05-01T12:00:00Z) or epoch ms
  --header 'NAME: VALUE' a header to sign (repeatable)
  --query K=V            a query parameter to sign, as raw text (repeatable)
  --json                 print a JSON object instead of text
  -h, --help             this help`;

export const PRESIGN_HELP = `Usage: sigv4 presign s3://BUCKET/KEY | URL [options]

Prints a presigned URL: whoever holds it may send this one request until it expires, without credentials.
The key of s3://BUCKET/KEY is taken literally (spaces, +, %, ?, # and unicode included); an access
point is s3://arn:aws:s3:REGION:ACCOUNT:accesspoint/NAME/KEY. The URL is the one aws s3 presign prints
for the same settings. An http(s) URL is signed as written (%XX in it are escapes), for S3 or, with
--service, any service; it needs a region.

Options:
  --expires-in SECONDS   validity, 1 to 604800 (7 days; default 3600)
  --method M             GET (default), PUT, HEAD, DELETE, POST…
  --content-type T       sign a content-type header: the holder must send it (e.g. for a browser upload)
${COMMON}

With --json: { "url", "method", "expiresIn", "expiresAt", "headers" }, where headers are those the holder
of the URL must send. In text mode the URL is the only line on stdout; those headers are listed on stderr.

Examples:
  sigv4 presign s3://examplebucket/photos/cat.jpg --expires-in 600
  sigv4 presign s3://examplebucket/uploads/a.jpg --method PUT --content-type image/jpeg --json
  sigv4 presign s3://bucket/key --endpoint-url http://localhost:9000 --region us-east-1
  sigv4 presign s3://arn:aws:s3:us-west-2:123456789012:accesspoint/my-ap/report.csv
  sigv4 presign https://abc123.execute-api.eu-west-1.amazonaws.com/prod/items --service execute-api --region eu-west-1
`;

export const SIGN_HELP = `Usage: sigv4 sign URL [--method M] [--header 'NAME: VALUE']... [--data @FILE] [options]

Signs a request in the Authorization header and prints the headers to send, one "name: value" a line
(authorization, x-amz-date, x-amz-security-token and for S3 x-amz-content-sha256, besides your own).
URL is an http(s) URL (needs a region) or s3://BUCKET/KEY.

Options:
  --method M             default GET, or POST with --data (as curl does)
  --data DATA            the body: @FILE reads a file, @- reads stdin, anything else is the text itself
  --unsigned-payload     S3 only: sign UNSIGNED-PAYLOAD instead of the body's SHA-256
  --content-type T       a content-type header to sign and send
  --curl                 print a curl command line that sends the request
${COMMON}

With --json: { "method", "url", "headers" }.

Examples:
  sigv4 sign https://sqs.us-east-1.amazonaws.com/ --service sqs --region us-east-1 --method POST \\
    --content-type application/x-www-form-urlencoded --data 'Action=ListQueues&Version=2012-11-05' --curl
  sigv4 sign s3://examplebucket/notes.txt --method PUT --data @notes.txt --curl | sh
`;

export const VERIFY_HELP = `Usage: sigv4 verify URL [--method M] [--now ISO] [options]

Checks a presigned URL with the credentials of this machine (the selected ones, a credential_process's
included, and every profile's static keys; or only --profile's) and prints who signed it, its scope and when it expires. Exits with 1, saying why, when
it does not verify (expired, wrong method, tampered, unknown key…).

Options:
  --method M             the method the URL will be used with (default GET)
  --now ISO              check as of this time, e.g. 2024-05-01T12:00:00Z (default: now)
  --header 'NAME: VALUE' a header the request will carry, for URLs that signed headers (repeatable)
  --region R             accept only this region in the scope (default: the URL's)
  --service S            accept only this service in the scope (default: the URL's)
  --profile P            use only this profile's keys
  --json                 print a JSON object instead of text
  -h, --help             this help

Example:
  sigv4 verify "$(sigv4 presign s3://examplebucket/cat.jpg)"
`;
