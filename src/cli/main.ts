#!/usr/bin/env node
// The sigv4 executable (package.json "bin"): runs the command line with this process's arguments, environment
// and streams.

import { readFileSync } from 'node:fs';
import { run } from './run.js';

process.exitCode = await run(process.argv.slice(2), {
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readStdin: () => readFileSync(0),
});
