#!/usr/bin/env node
// The sigv4 executable (package.json "bin"): runs the command line with this process's arguments, environment
// and streams.

import { nodeIo } from './io.js';
import { run } from './run.js';

process.exitCode = await run(process.argv.slice(2), nodeIo());
