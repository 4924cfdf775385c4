// The conformance core as a Worker (bundled with dist/ by test/runtime/build.ts, as a Worker is deployed).
// GET / runs it and answers its result as JSON; test/runtime/run-all.ts calls it on loopback.
import * as full from '../../../dist/index.js';
import * as lite from '../../../dist/lite.js';
import { run } from '../../../node_modules/.cache/sigv4-runtime/core.mjs';

export default {
  async fetch(request) {
    if (new URL(request.url).pathname !== '/') return new Response('not found', { status: 404 });
    const lines = [];
    const result = await run({ ...full, lite }, (line) => lines.push(line));
    return Response.json({ runtime: 'workerd', version: 'unknown', ...result, log: lines });
  },
};
