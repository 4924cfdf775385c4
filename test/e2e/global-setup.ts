// vitest global setup for the end-to-end tests: one Swift for all of them, started before and stopped after
// (unless SIGV4_E2E_SKIP names swift, which test/e2e/skip.ts refuses under CI).

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { skipped } from './skip.js';
import { startSwift, type SwiftInfo } from './swift.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The running Swift, or null when skipped by flag. */
    swift: SwiftInfo | null;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (skipped('swift')) {
    project.provide('swift', null);
    return async () => {};
  }
  const swift = await startSwift();
  const { stop, ...info } = swift;
  console.log(`Swift ${info.swift} (s3api, tempauth) on ${info.endpoint}, state in ${info.dir}`);
  project.provide('swift', info);
  // For test/e2e/compat.ts: which Swift the tests ran against.
  const results = join(import.meta.dirname, '..', '..', 'node_modules', '.cache', 'sigv4-e2e');
  mkdirSync(results, { recursive: true });
  writeFileSync(join(results, 'swift.json'), JSON.stringify({ swift: info.swift, endpoint: info.endpoint }));
  return stop;
}
