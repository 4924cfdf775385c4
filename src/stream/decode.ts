// Verifying a streaming upload's body (sigv4-streaming.html, sigv4-streaming-trailers.html): aws-chunked decoded
// by a state machine over bytes, each signed chunk checked against its signature before its bytes go on, then the
// final chunk, the trailer and its signature, the checksums and the decoded length.
//
// Bounded whatever the body: a line (chunk header or trailer) is read into a fixed buffer of its longest allowed
// length, a signed chunk into one buffer of its declared size (at most `maxChunkSize`), unsigned data goes on as it
// arrives. Every byte is looked at once, so the work is linear; a fault is a SigV4Error at the byte that shows it.

import { EMPTY_SHA256 } from '../core/constants.js';
import { describe, fail, invalidType } from '../core/errors.js';
import { sha256TextHex, type HmacKey } from '../core/sha256.js';
import { sha256Hex, timingSafeEqual } from '../core/webcrypto.js';
import { checksumAlgorithmOf, createChecksum, type Checksum, type ChecksumAlgorithm } from './checksum.js';
import {
  createCanonicalTrailers,
  createChunkStringToSign,
  createTrailerStringToSign,
  signChunkString,
  STREAMING_PAYLOAD,
  STREAMING_PAYLOAD_TRAILER,
  STREAMING_UNSIGNED_PAYLOAD_TRAILER,
  type StreamingPayloadHash,
} from './chunk-signature.js';

/** The longest chunk header line read, CRLF included: 16 hex digits, `;chunk-signature=` and 64 more are 99. */
export const MAX_CHUNK_HEADER_LINE = 128;
/** The longest trailer line read, CRLF included. */
export const MAX_TRAILER_LINE = 1024;

/** What {@link decodeAwsChunked} checks the body against, read from the verified request. */
export interface DecodeParams {
  readonly payloadHash: StreamingPayloadHash;
  /** The chunk signing key; undefined for unsigned chunks. */
  readonly key: HmacKey | undefined;
  /** The request's signature, which the first chunk's is chained on. */
  readonly seedSignature: string;
  readonly amzDate: string;
  readonly credentialScope: string;
  /** The trailing headers `x-amz-trailer` announces, lowercase: each must come, and no other. */
  readonly trailers: readonly string[];
  /** `x-amz-decoded-content-length`, when sent. */
  readonly decodedLength: number | undefined;
  /** Checksums sent as headers (`x-amz-checksum-…`), checked against the decoded bytes too. */
  readonly checksumHeaders: readonly (readonly [ChecksumAlgorithm, string])[];
  /** The largest signed chunk accepted (its bytes are held until they verify). */
  readonly maxChunkSize: number;
}

const CR = 13;
const LF = 10;
const EMPTY = new Uint8Array(0);
const SIGNATURE_EXTENSION = ';chunk-signature=';
const TRAILER_SIGNATURE = 'x-amz-trailer-signature';

// The parser's states: a chunk header line, the chunk's data, the CRLF after it, the trailer lines, done.
const SIZE = 0;
const DATA = 1;
const DATA_CR = 2;
const DATA_LF = 3;
const TRAILER = 4;
const END = 5;

// What parse() stopped for.
const MORE = 0; // the input is used up
const CHUNK = 1; // a signed chunk is whole: verify it before going on
const DONE = 2; // the trailer ended

const framing = (message: string): never => fail('ERR_SIGV4_CHUNK_FRAMING', message);

const hexValue = (c: number): number =>
  c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
const isLowerHex = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 97 && c <= 102);
// RFC 9110 tchar: ! # $ % & ' * + - . ^ _ ` | ~ and letters and digits.
const isTokenChar = (c: number): boolean =>
  (c >= 97 && c <= 122) ||
  (c >= 65 && c <= 90) ||
  (c >= 48 && c <= 57) ||
  (c > 32 && c < 127 && "!#$%&'*+-.^_`|~".includes(String.fromCharCode(c)));

/** A received line for a message: its text up to a signature (which is never echoed). */
function shown(line: string): string {
  const m = /chunk-signature=|x-amz-trailer-signature:/i.exec(line);
  return describe(m === null ? line : line.slice(0, m.index + m[0].length) + '…');
}

/** Whether every character is a lowercase hex digit, and there are 64. */
function isSignature(text: string): boolean {
  if (text.length !== 64) return false;
  for (let i = 0; i < 64; i++) if (!isLowerHex(text.charCodeAt(i))) return false;
  return true;
}

/**
 * The aws-chunked decoder: a state machine fed with the body's bytes in whatever pieces they arrive. `parse`
 * consumes the current input until it is used up, a signed chunk is whole, or the trailer has ended; `verifyChunk`
 * and `finish` do the checks that need the whole of something.
 */
class Decoder {
  readonly #p: DecodeParams;
  readonly #signed: boolean;
  readonly #announced: Set<string>;
  /** Every checksum being computed, one per algorithm, with the values it must match. */
  readonly #checksums = new Map<
    ChecksumAlgorithm,
    { checksum: Checksum; expected: [source: string, value: string][] }
  >();

  input: Uint8Array = EMPTY;
  pos = 0;
  #state = SIZE;
  readonly #line: Uint8Array;
  #lineLength = 0;
  /** The number of the chunk being read, from 1 (the final chunk counts). */
  #index = 0;
  #size = 0;
  #got = 0;
  #buffer: Uint8Array | undefined;
  /** The signed chunk made whole by the last parse, waiting to be verified. */
  ready: { data: Uint8Array; signature: string } | undefined;
  /** Unsigned data parsed from the current input, to pass on. */
  pieces: Uint8Array[] = [];
  #previous: string;
  /** Bytes of data verified (signed) or passed on (unsigned). */
  decoded = 0;
  readonly #fields = new Map<string, string>();
  #trailerSignature: string | undefined;
  /** The last trailer line ended in a bare LF (minio-go's `name:value\n\r\n`): an empty line closes that run. */
  #lfRun = false;

  constructor(p: DecodeParams) {
    this.#p = p;
    this.#signed = p.payloadHash !== STREAMING_UNSIGNED_PAYLOAD_TRAILER;
    this.#announced = new Set(p.trailers);
    this.#previous = p.seedSignature;
    this.#line = new Uint8Array(MAX_TRAILER_LINE);
    const expect = (algorithm: ChecksumAlgorithm, source: string, value: string | undefined): void => {
      let entry = this.#checksums.get(algorithm);
      if (entry === undefined)
        this.#checksums.set(algorithm, (entry = { checksum: createChecksum(algorithm), expected: [] }));
      if (value !== undefined) entry.expected.push([source, value]);
    };
    for (const name of p.trailers) {
      const algorithm = checksumAlgorithmOf(name);
      if (algorithm !== undefined) expect(algorithm, `the ${name} trailer`, undefined);
    }
    for (const [algorithm, value] of p.checksumHeaders)
      expect(algorithm, `the x-amz-checksum-${algorithm.toLowerCase()} header`, value);
  }

  #update(data: Uint8Array): void {
    for (const { checksum } of this.#checksums.values()) checksum.update(data);
  }

  /** Reads a line ending in LF into the line buffer; its text and whether a CR came before the LF, or undefined when the input ran out first. */
  #readLine(max: number, what: string): { text: string; cr: boolean } | undefined {
    const input = this.input;
    const line = this.#line;
    let length = this.#lineLength;
    while (this.pos < input.length) {
      const c = input[this.pos++]!;
      if (c === LF) {
        const cr = length > 0 && line[length - 1] === CR;
        this.#lineLength = 0;
        return { text: String.fromCharCode(...line.subarray(0, cr ? length - 1 : length)), cr };
      }
      if (length >= max - 1)
        framing(`${what} expected a line of at most ${max} bytes with its CRLF, got more than ${max - 1} without a LF`);
      line[length++] = c;
    }
    this.#lineLength = length;
    return undefined;
  }

  /** Reads a chunk header; true for the final chunk's. */
  #chunkHeader(text: string, cr: boolean): boolean {
    const what = `chunk ${this.#index}'s header`;
    const form = this.#signed ? '<hex size>;chunk-signature=<64 lowercase hex digits>' : '<hex size>';
    let size = 0;
    let i = 0;
    for (let digit: number; i < text.length && (digit = hexValue(text.charCodeAt(i))) >= 0; i++) {
      if (i === 16) framing(`${what} expected a size of at most 16 hex digits, got more`);
      size = size * 16 + digit;
    }
    let signature = '';
    if (this.#signed) {
      if (i > 0 && text.startsWith(SIGNATURE_EXTENSION, i)) signature = text.slice(i + SIGNATURE_EXTENSION.length);
      if (!isSignature(signature)) framing(`${what} expected ${form}, got ${shown(text)}`);
    } else if (i === 0 || i !== text.length) {
      framing(`${what} expected ${form}, got ${shown(text)}`);
    }
    if (!cr) framing(`${what} expected to end in CRLF, got a bare LF`);
    const { decodedLength, maxChunkSize } = this.#p;
    if (this.#signed && size > maxChunkSize)
      framing(`chunk ${this.#index} expected at most ${maxChunkSize} bytes (maxChunkSize), got a size of ${size}`);
    if (decodedLength !== undefined && this.decoded + size > decodedLength) {
      fail(
        'ERR_SIGV4_LENGTH_MISMATCH',
        `the body expected ${decodedLength} bytes (x-amz-decoded-content-length), got more: chunk ${this.#index} brings ${this.decoded} to ${this.decoded + size}`,
      );
    }
    if (!Number.isSafeInteger(size)) framing(`${what} expected a size below 2^53, got ${describe(text.slice(0, i))}`);
    this.#size = size;
    this.#got = 0;
    this.#buffer = undefined;
    if (size > 0) {
      this.#state = DATA;
      if (this.#signed) this.ready = { data: EMPTY, signature };
      return false;
    }
    // The final chunk: the data must all be here.
    if (decodedLength !== undefined && this.decoded !== decodedLength) {
      fail(
        'ERR_SIGV4_LENGTH_MISMATCH',
        `the body expected ${decodedLength} bytes (x-amz-decoded-content-length), got ${this.decoded} before the final chunk`,
      );
    }
    this.#state = TRAILER;
    if (this.#signed) this.ready = { data: EMPTY, signature };
    return true;
  }

  #trailerLine(text: string, cr: boolean): boolean {
    const signedTrailer = this.#p.payloadHash === STREAMING_PAYLOAD_TRAILER;
    if (text === '') {
      if (!cr) framing('the trailer expected lines ending in CRLF, got an empty line ending in a bare LF');
      if (this.#lfRun) {
        this.#lfRun = false; // the CRLF that closes minio-go's `name:value\n` lines
        return false;
      }
      if (signedTrailer && this.#trailerSignature === undefined)
        framing(`the trailer expected an ${TRAILER_SIGNATURE} line (${STREAMING_PAYLOAD_TRAILER}), got none`);
      return true;
    }
    if (this.#trailerSignature !== undefined)
      framing(`the trailer expected its end after ${TRAILER_SIGNATURE}, got ${shown(text)}`);
    // minio-go's lines end in a bare LF, and an empty line (CRLF) closes them: nothing else comes in between.
    if (this.#lfRun && cr)
      framing(`the trailer expected an empty line (CRLF) after lines ending in a bare LF, got ${shown(text)}`);
    this.#lfRun = !cr;
    // `name:value`, exactly: every client writes it with no space around the value, and one read with spaces
    // trimmed would let a changed byte (a CR turned into a space) pass unnoticed.
    const colon = text.indexOf(':');
    let valid = colon > 0;
    for (let i = 0; valid && i < colon; i++) valid = isTokenChar(text.charCodeAt(i));
    for (let i = colon + 1; valid && i < text.length; i++) {
      const c = text.charCodeAt(i);
      const edge = i === colon + 1 || i === text.length - 1;
      valid = (c > 32 && c < 127) || (!edge && (c === 32 || c === 9));
    }
    if (!valid) framing(`the trailer expected lines of the form name:value, got ${shown(text)}`);
    const name = text.slice(0, colon).toLowerCase();
    const value = text.slice(colon + 1);
    if (name === TRAILER_SIGNATURE) {
      if (!signedTrailer) {
        framing(
          `the trailer expected no ${TRAILER_SIGNATURE} with x-amz-content-sha256 ${this.#p.payloadHash}, got one`,
        );
      }
      if (!isSignature(value)) framing(`the ${TRAILER_SIGNATURE} expected 64 lowercase hex digits, got another form`);
      this.#trailerSignature = value;
      return false;
    }
    if (this.#p.payloadHash === STREAMING_PAYLOAD)
      framing(`the body expected no trailer with x-amz-content-sha256 ${STREAMING_PAYLOAD}, got ${shown(text)}`);
    if (!this.#announced.has(name)) {
      const announced = [...this.#announced].join(', ');
      framing(
        `the trailer ${describe(name)} expected to be announced in x-amz-trailer (${announced === '' ? 'none is' : `${announced} are`}), got it unannounced`,
      );
    }
    if (this.#fields.has(name)) framing(`the trailer expected one ${name}, got more than one`);
    this.#fields.set(name, value);
    return false;
  }

  /** Consumes the input until it is used up (MORE), a signed chunk is whole (CHUNK) or the trailer ended (DONE). */
  parse(): number {
    const input = this.input;
    while (this.pos < input.length || this.#state === END) {
      switch (this.#state) {
        case SIZE: {
          if (this.#lineLength === 0 && this.pos < input.length) this.#index++;
          const line = this.#readLine(MAX_CHUNK_HEADER_LINE, `chunk ${this.#index}'s header`);
          if (line === undefined) return MORE;
          if (this.#chunkHeader(line.text, line.cr) && this.#signed) return CHUNK; // the final chunk's signature
          break;
        }
        case DATA: {
          const size = this.#size;
          const available = input.length - this.pos;
          if (this.#signed) {
            if (this.#got === 0 && available >= size) {
              this.ready!.data = input.subarray(this.pos, this.pos + size); // whole in this input: no copy
              this.pos += size;
              this.#got = size;
            } else {
              const buffer = (this.#buffer ??= new Uint8Array(size));
              const n = Math.min(size - this.#got, available);
              buffer.set(input.subarray(this.pos, this.pos + n), this.#got);
              this.pos += n;
              this.#got += n;
              if (this.#got === size) this.ready!.data = buffer;
            }
          } else {
            const n = Math.min(size - this.#got, available);
            const piece = input.subarray(this.pos, this.pos + n);
            this.#update(piece);
            this.pieces.push(piece);
            this.decoded += n;
            this.pos += n;
            this.#got += n;
          }
          if (this.#got === size) this.#state = DATA_CR;
          break;
        }
        case DATA_CR:
        case DATA_LF: {
          const want = this.#state === DATA_CR ? CR : LF;
          const c = input[this.pos++]!;
          if (c !== want) {
            framing(
              `chunk ${this.#index} expected CRLF after its ${this.#size} bytes of data, got the byte 0x${c.toString(16).padStart(2, '0')}`,
            );
          }
          if (want === LF) {
            this.#state = SIZE;
            if (this.#signed) return CHUNK;
          } else this.#state = DATA_LF;
          break;
        }
        case TRAILER: {
          const line = this.#readLine(MAX_TRAILER_LINE, 'the trailer');
          if (line === undefined) return MORE;
          if (this.#trailerLine(line.text, line.cr)) {
            this.#state = END;
            return DONE;
          }
          break;
        }
        default: // END
          if (this.pos < input.length)
            framing(`the body expected to end after the trailer, got ${input.length - this.pos} more bytes`);
          return MORE;
      }
    }
    return MORE;
  }

  /** Where the body is, for the message of a body that ended too soon. */
  where(): string {
    switch (this.#state) {
      case SIZE:
        return this.#lineLength > 0 || this.#index === 0
          ? `in chunk ${Math.max(this.#index, 1)}'s header, before the final chunk`
          : `after chunk ${this.#index}, before the final chunk`;
      case DATA:
        return `in chunk ${this.#index}'s data (${this.#got} of ${this.#size} bytes)`;
      case DATA_CR:
      case DATA_LF:
        return `before the CRLF after chunk ${this.#index}'s data`;
      default:
        return 'in the trailer, before its closing empty line';
    }
  }

  /** Checks the chunk `parse` made whole against its signature, and counts its bytes in. */
  async verifyChunk(): Promise<Uint8Array> {
    const { data, signature } = this.ready!;
    this.ready = undefined;
    const hashing = data.length === 0 ? EMPTY_SHA256 : sha256Hex(data); // on Web Crypto's thread…
    this.#update(data); // …while the checksums run here
    const { key, amzDate, credentialScope } = this.#p;
    const expected = signChunkString(
      key!,
      createChunkStringToSign(amzDate, credentialScope, this.#previous, await hashing),
    );
    if (!timingSafeEqual(signature, expected)) {
      fail(
        'ERR_SIGV4_CHUNK_SIGNATURE',
        `chunk ${this.#index}'s signature does not match its ${data.length} bytes (altered, reordered or signed with another key)`,
      );
    }
    this.#previous = expected;
    this.decoded += data.length;
    return data;
  }

  /** After the trailer's last line: its signature, the trailers announced, the checksums. */
  finish(): void {
    const p = this.#p;
    if (p.payloadHash === STREAMING_PAYLOAD_TRAILER) {
      const hash = sha256TextHex(createCanonicalTrailers(this.#fields));
      const expected = signChunkString(
        p.key!,
        createTrailerStringToSign(p.amzDate, p.credentialScope, this.#previous, hash),
      );
      if (!timingSafeEqual(this.#trailerSignature!, expected))
        fail('ERR_SIGV4_CHUNK_SIGNATURE', 'the trailer signature does not match the trailing headers');
    }
    const missing = p.trailers.filter((name) => !this.#fields.has(name));
    if (missing.length > 0)
      framing(`the trailer expected ${missing.join(', ')} (announced in x-amz-trailer), got none`);
    for (const [name, value] of this.#fields) {
      const algorithm = checksumAlgorithmOf(name);
      if (algorithm !== undefined) this.#checksums.get(algorithm)!.expected.push([`the ${name} trailer`, value]);
    }
    for (const [algorithm, { checksum, expected }] of this.#checksums) {
      const actual = checksum.digest();
      for (const [source, value] of expected) {
        if (value !== actual) {
          fail(
            'ERR_SIGV4_CHECKSUM_MISMATCH',
            `${source} expected the body's ${algorithm}, ${actual}, got ${describe(value)}`,
          );
        }
      }
    }
  }
}

/**
 * The body of an aws-chunked request, decoded and verified as it is read: the data of each chunk, passed on only
 * once that chunk verified (signed chunks) or as it arrives (unsigned chunks, which only the trailer's checksum
 * covers). The stream closes once the final chunk, the trailer, the checksums and the length all verified and the
 * source ended; it errors with a SigV4Error at the first fault, and passes nothing on after it. A source that
 * errors errors this stream with the same error; cancelling this stream cancels the source. After a fault the
 * source is left unread and unlocked: a server answers and closes the connection (or cancels it).
 */
export function decodeAwsChunked(source: ReadableStream<Uint8Array>, params: DecodeParams): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  const decoder = new Decoder(params);
  let over = false; // closed, errored or cancelled: nothing more is read or passed on
  let ended = false; // the trailer ended: the source must end now

  const stop = (controller: ReadableStreamDefaultController<Uint8Array>, error: unknown): void => {
    if (over) return;
    over = true;
    controller.error(error);
    reader.releaseLock();
  };

  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          for (;;) {
            const event = decoder.parse();
            if (decoder.pieces.length > 0) {
              for (const piece of decoder.pieces) controller.enqueue(piece);
              decoder.pieces = [];
              if (event === MORE) return; // passed on: wait to be asked again
            }
            if (event === CHUNK) {
              const data = await decoder.verifyChunk();
              if (over) return;
              if (data.length > 0) {
                controller.enqueue(data);
                return;
              }
              continue;
            }
            if (event === DONE) {
              decoder.finish();
              ended = true;
              continue; // what is left of this input must be nothing
            }
            let next: ReadableStreamReadResult<Uint8Array>;
            try {
              next = await reader.read();
            } catch (error) {
              return stop(controller, error); // the source's own error, passed on as it is
            }
            if (over) return;
            if (next.done) {
              if (!ended) framing(`the body ended ${decoder.where()}: truncated`);
              over = true;
              reader.releaseLock();
              controller.close();
              return;
            }
            if (!(next.value instanceof Uint8Array)) invalidType('body', 'a stream of Uint8Array', next.value);
            decoder.input = next.value;
            decoder.pos = 0;
          }
        } catch (error) {
          stop(controller, error);
        }
      },
      cancel(reason) {
        if (over) return;
        over = true;
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}
