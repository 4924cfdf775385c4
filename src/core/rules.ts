// The grammar of a request: what a method, a header, a scope part, a session token, a payload hash and a URL may
// hold. The signers, the verifiers and lite test input against these same patterns, so they agree on what is valid.
// Every pattern here sees request input, so each is linear: one class per quantifier, no nested repetition.

export const TOKEN: RegExp = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/; // RFC 9110 section 5.6.2
export const HEADER_VALUE: RegExp = /^[\t\x20-\x7e]*$/; // visible US-ASCII, space and tab: the only bytes every client sends as-is
// Visible ASCII without "/" (which separates the credential scope's parts) or "," (which separates the
// Authorization header's): for the access key id, region and service.
export const SCOPE_PART: RegExp = /^[\x21-\x2b\x2d\x2e\x30-\x7e]+$/;
// Visible ASCII: a session token travels in a header, whose surrounding spaces HTTP strips, and in the query.
export const SESSION_TOKEN: RegExp = /^[\x21-\x7e]+$/;
export const PAYLOAD_HASH: RegExp = /^(?:[0-9a-f]{64}|UNSIGNED-PAYLOAD|STREAMING-[A-Z0-9-]+)$/;
// The methods fetch upper-cases (Fetch standard, "normalize a method"); it sends every other method as written.
export const STANDARD_METHODS: RegExp = /^(?:DELETE|GET|HEAD|OPTIONS|POST|PUT)$/i;
// Query parameters that carry a SigV4 signature: the signer writes them, the caller may not.
export const SIGNER_PARAMS: RegExp =
  /^X-Amz-(?:Algorithm|Credential|Date|Expires|SignedHeaders|Signature|Security-Token)$/i; // spelled as the signer writes them
// Headers the signer writes itself: a caller's would be overwritten or doubled.
export const SIGNER_HEADERS: ReadonlySet<string> = /* @__PURE__ */ new Set([
  'authorization',
  'x-amz-date',
  'x-amz-security-token',
]);
// Headers that proxies and clients add or rewrite: they are sent but never signed (as the AWS SDKs do). So are
// proxy-* headers (a proxy consumes them) and sec-* headers (browsers set them and ignore a script's value).
export const UNSIGNABLE: RegExp =
  /^(?:cache-control|connection|expect|from|keep-alive|max-forwards|pragma|referer|te|trailer|transfer-encoding|upgrade|user-agent|x-amzn-trace-id|(?:proxy|sec)-.*)$/;

// eslint-disable-next-line no-control-regex
export const CONTROL: RegExp = /[\x00-\x1f\x7f]/;
// An absolute http(s) URL without control characters: scheme, authority, path, query (and fragment, ignored).
// Linear: no two adjacent groups can match the same character. The authority stops at the first "/", "?" or "#"
// and the path starts with "/" (or is empty), so when the text fails to match (a control character at the end)
// each group gives back its characters once, never in all the ways to share them between host and path.
export const ABSOLUTE_URL: RegExp =
  /^(https?):\/\/([^/?#\0-\x1f\x7f]*)((?:\/[^?#\0-\x1f\x7f]*)?)(?:\?([^#\0-\x1f\x7f]*))?(?:#[^\0-\x1f\x7f]*)?$/i;
