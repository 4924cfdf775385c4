// Base64 (RFC 4648 section 4, with padding), by hand: the core uses no runtime-specific encoder.

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard base64 (RFC 4648 section 4, padded) of bytes. */
export function toBase64(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += B64[n >> 18]! + B64[(n >> 12) & 63]! + B64[(n >> 6) & 63]! + B64[n & 63]!;
  }
  if (i < bytes.length) {
    const two = i + 1 < bytes.length;
    const n = (bytes[i]! << 16) | (two ? bytes[i + 1]! << 8 : 0);
    out += B64[n >> 18]! + B64[(n >> 12) & 63]! + (two ? B64[(n >> 6) & 63]! : '=') + '=';
  }
  return out;
}

/** Strict base64 (RFC 4648, padded) to bytes; undefined for anything else. */
export function fromBase64(text: string): Uint8Array | undefined {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return undefined;
  const pad = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - pad);
  const digit = (c: number): number =>
    c >= 97 ? c - 71 : c >= 65 ? c - 65 : c >= 48 ? c + 4 : c === 43 ? 62 : c === 47 ? 63 : 0; // "=" → 0
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    const n =
      (digit(text.charCodeAt(i)) << 18) |
      (digit(text.charCodeAt(i + 1)) << 12) |
      (digit(text.charCodeAt(i + 2)) << 6) |
      digit(text.charCodeAt(i + 3));
    out[o++] = n >> 16;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}
