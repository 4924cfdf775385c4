// The public API, as API Extractor reports it, is the checked-in etc/sigv4.api.md and etc/sigv4-lite.api.md: a
// change to an export's signature, or to a type one names, fails here until the reports are made again
// (`npm run api-report`) and committed, so the change shows as a diff in review. What the reports flag (exports
// without a doc comment, public types naming unexported ones) is printed, not failed on: it is in the report.
// Declarations are emitted from src/ to a temp folder by scripts/api-report.ts; dist/ is not read.

import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENTRIES, apiReport, summarize, type ApiReportResult } from '../scripts/api-report.js';

describe('API report (scripts/api-report.ts)', () => {
  let results: ApiReportResult[] = [];
  beforeAll(() => {
    results = apiReport({ local: false });
    console.log(summarize(results, false));
  });

  it('has a report for each export of package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      exports: Record<string, { types: string }>;
    };
    const exported = Object.entries(pkg.exports).map(([entry, { types }]) => [entry, types]);
    expect(exported).toEqual(ENTRIES.map(({ entry, dts }) => [entry, `./dist/${dts}`]));
  });

  for (const { entry, report } of ENTRIES) {
    it(`${report} is the public API of "${entry}"`, () => {
      const result = results.find((r) => r.entry === entry);
      expect(result, entry).toBeDefined();
      expect(result!.errors, `API Extractor errors for ${report}`).toEqual([]);
      expect(
        result!.changed,
        `The public API of "${entry}" changed: run \`npm run api-report\` and commit ${report}.\n${result!.diff}`,
      ).toBe(false);
    });
  }
});
