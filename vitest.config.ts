import { configDefaults, defineConfig } from 'vitest/config';

// Speed on a 2-core machine, with what each file checks unchanged:
// - isolate: false. A worker runs its files one after another in one module registry instead of a fresh one per
//   file (the fresh start cost about half a second a file: 20 s of 60). Each file restores what it changes (spies,
//   globalThis.crypto) and makes its own caches where it counts their entries.
// - One worker per core (vitest leaves one core to itself by default: one worker here), processes, not threads, so
//   a file that measures its process's memory sees only its own.
// - test/linear-time.test.ts times calls: it runs alone once the other files are done, in a process of its own
//   (isolated), as it did when one worker ran every file.
const TIMED = ['test/linear-time.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    pool: 'forks',
    isolate: false,
    maxWorkers: '100%',
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, ...TIMED] },
      },
      { extends: true, test: { name: 'timed', include: TIMED, isolate: true, sequence: { groupOrder: 1 } } },
    ],
  },
});
