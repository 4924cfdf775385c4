// The conformance core in a command-line runtime: `node test/runtime/cli.mjs`, `deno run test/runtime/cli.mjs`,
// `bun test/runtime/cli.mjs`. It loads the built package (dist/, with the runtime's own module loader) and the
// core built by test/runtime/build.ts, prints each failure, then one JSON line `RESULT {...}` for
// test/runtime/run-all.ts, and exits non-zero on any failure.
import * as full from '../../dist/index.js';
import * as lite from '../../dist/lite.js';
import { describeRuntime, run } from '../../node_modules/.cache/sigv4-runtime/core.mjs';

const result = await run({ ...full, lite }, (line) => console.log(line));
console.log(`RESULT ${JSON.stringify({ ...describeRuntime(), ...result })}`);
if (result.failed > 0) {
  if (globalThis.Deno) globalThis.Deno.exit(1);
  else globalThis.process.exitCode = 1;
}
