// Memory stays O(chunk size) whatever the body: a 256 MiB upload, generated as it goes, signed by the encoder and
// verified by verifyRequest, end to end in streams, while the memory the process holds in ArrayBuffers is sampled.
// A verifier (or encoder) that kept the body would hold 256 MiB at its peak; the bound here is 64 MiB (the garbage V8 has not collected yet counts too).

import { describe, expect, it } from 'vitest';
import { awsChunkedHeaders, createAwsChunkedEncoder, signRequest, verifyRequest } from '../../src/index.js';

const MiB = 1 << 20;
const TOTAL = 256 * MiB;
const credentials = { accessKeyId: 'AKIDMEMORY', secretAccessKey: 'memory/secret' };

/** 256 MiB in 64 KiB parts, each made when it is asked for (a counter pattern, so parts differ). */
function generated(): ReadableStream<Uint8Array> {
  let made = 0;
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (made >= TOTAL) return controller.close();
        const part = new Uint8Array(64 * 1024);
        new Uint32Array(part.buffer).fill(made / part.length);
        made += part.length;
        controller.enqueue(part);
      },
    },
    { highWaterMark: 0 },
  );
}

describe('memory', () => {
  it('a 256 MiB signed upload with a CRC32C trailer: encoded and verified in streams, peak ArrayBuffer memory under 64 MiB', async () => {
    const headers = awsChunkedHeaders({
      payloadHash: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
      decodedLength: TOTAL,
      checksumAlgorithm: 'CRC32C',
    });
    const signed = await signRequest({
      url: 'https://bucket.s3.us-east-1.amazonaws.com/big.bin',
      method: 'PUT',
      service: 's3',
      region: 'us-east-1',
      credentials,
      headers,
    });
    const usage = (): number => process.memoryUsage().arrayBuffers;
    const baseline = usage();
    const rssBaseline = process.memoryUsage.rss();
    let peak = baseline;
    let rssPeak = rssBaseline;
    const verified = await verifyRequest({
      url: signed.url,
      method: 'PUT',
      headers: signed.headers,
      body: generated().pipeThrough(createAwsChunkedEncoder({ signed, credentials })),
      service: 's3',
      region: 'us-east-1',
      getCredentials: () => credentials,
    });
    let bytes = 0;
    let parts = 0;
    let last = -1;
    const reader = verified.body!.getReader();
    const started = performance.now();
    for (let r = await reader.read(); !r.done; r = await reader.read()) {
      bytes += r.value.length;
      // The pattern: each 64 KiB of data holds its index, so a part lost, repeated or out of order shows.
      const first = new DataView(r.value.buffer, r.value.byteOffset, 4).getUint32(0, true);
      expect(first).toBe(last + 1);
      last = (bytes - 1) >>> 16;
      if (++parts % 32 === 0) {
        peak = Math.max(peak, usage());
        rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
      }
    }
    const seconds = (performance.now() - started) / 1000;
    expect(bytes).toBe(TOTAL);
    console.log(
      `memory: 256 MiB signed+CRC32C upload encoded and verified in ${seconds.toFixed(1)} s; peak ArrayBuffers ${((peak - baseline) / MiB).toFixed(1)} MiB over the ${(baseline / MiB).toFixed(1)} MiB before, peak RSS ${((rssPeak - rssBaseline) / MiB).toFixed(1)} MiB over`,
    );
    expect(peak - baseline).toBeLessThan(64 * MiB);
    expect(rssPeak - rssBaseline).toBeLessThan(160 * MiB);
  }, 180_000);
});
