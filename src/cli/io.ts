// What the command line reads and writes, apart from the files it is told to read: the environment, the output
// streams and stdin. `run` takes it as an argument, so the tests run the command line in this process with
// their own environment and capture its output; the executable passes `nodeIo()`.

import { readFileSync } from 'node:fs';
import type { Env, ProcessOptions } from './config.js';

/** What a command reads and writes, so that it can be run with another environment. */
export interface Io {
  readonly env: Env;
  stdout(text: string): void;
  stderr(text: string): void;
  readStdin(): Uint8Array;
  /** How long a credential_process may run (default: a minute); tests shorten it. */
  readonly credentialProcessTimeoutMs?: number;
}

/** How a command runs a credential_process: with `stdin` (`ignore` when the command reads stdin itself). */
export const processOptions = (io: Io, stdin: 'inherit' | 'ignore' = 'inherit'): ProcessOptions => ({
  stdin,
  ...(io.credentialProcessTimeoutMs === undefined ? {} : { timeoutMs: io.credentialProcessTimeoutMs }),
});

/** This process's environment and streams: what the sigv4 executable runs with. */
export const nodeIo = (): Io => ({
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readStdin: () => readFileSync(0),
});
