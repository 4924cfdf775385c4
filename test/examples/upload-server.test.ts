// examples/upload/server.ts's /presign over loopback: a JSON body over 4 KiB is answered 413 with Connection:
// close (a keep-alive client's next request works), a malformed one 400 without the parser's text, and the file
// name is data in the key it presigns.

import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUploadServer, type UploadServer } from '../../examples/upload/server.js';

let server: UploadServer;

beforeAll(async () => {
  server = await startUploadServer({
    endpoint: 'http://127.0.0.1:9',
    bucket: 'uploads',
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

  it('the key is data: a name with "?", "#" and "%" is part of the signed key; "." and ".." are refused', async () => {
    const reply = await presign(JSON.stringify({ name: 'a?b#c%d e.txt', type: 'text/plain', size: 5 }));
    expect(reply.status).toBe(200);
    const { key, put } = JSON.parse(reply.body) as { key: string; put: { url: string } };
    expect(key).toMatch(/^uploads\/[0-9a-f-]{36}\/a\?b#c%d e\.txt$/);
    const url = new URL(put.url);
    expect(url.pathname).toBe(`/uploads/${key.split('/').map(encodeURIComponent).join('/')}`);
    expect([...url.searchParams.keys()].every((name) => name.startsWith('X-Amz-'))).toBe(true);
    for (const name of ['.', '..']) {
      const refused = await presign(JSON.stringify({ name, type: 'text/plain', size: 5 }));
      expect([refused.status, refused.body]).toEqual([
        400,
        'expected a file name of 1 to 200 characters, without "/", "\\" or control characters, not "." or ".."',
      ]);
    }
  });

  it('a malformed body is 400 with a fixed message, not the parser’s error text', async () => {
    const reply = await presign('{"name": ');
    expect([reply.status, reply.body]).toEqual([400, 'expected JSON { name, type, size }']);
  });
});
