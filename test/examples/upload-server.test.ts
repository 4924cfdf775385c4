// examples/upload/server.ts's /presign over loopback: a JSON body over 4 KiB is answered 413 with Connection:
// close (a keep-alive client's next request works), a malformed one 400 without the parser's text.

import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUploadServer, type UploadServer } from '../../examples/upload/server.js';

let server: UploadServer;

beforeAll(async () => {
  server = await startUploadServer({
    endpoint: 'http://127.0.0.1:9',
    bucket: 'b',
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDUPLOAD', secretAccessKey: 'upload-secret/EXAMPLE+KEY' },
  });
});

afterAll(() => server.close());

function presign(
  body: string,
  agent: Agent | false = false,
): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${server.origin}/presign`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        agent,
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('examples/upload/server.ts /presign', () => {
  it('413 with Connection: close past 4 KiB, and a keep-alive client’s next request works (20 rounds)', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      for (let round = 0; round < 20; round++) {
        const refused = await presign(
          JSON.stringify({ name: 'x'.repeat(8192 + round), type: 'text/plain', size: 1 }),
          agent,
        );
        expect([refused.status, refused.headers['connection'], refused.body]).toEqual([
          413,
          'close',
          'expected at most 4096 bytes of JSON',
        ]);
        const ok = await presign(JSON.stringify({ name: 'notes.txt', type: 'text/plain', size: 5 }), agent);
        expect(ok.status, `round ${round}`).toBe(200);
        expect(JSON.parse(ok.body)).toMatchObject({
          key: expect.stringMatching(/^uploads\/[0-9a-f-]{36}\/notes\.txt$/),
        });
      }
    } finally {
      agent.destroy();
    }
  });

  it('a malformed body is 400 with a fixed message, not the parser’s error text', async () => {
    const reply = await presign('{"name": ');
    expect([reply.status, reply.body]).toEqual([400, 'expected JSON { name, type, size }']);
  });
});
