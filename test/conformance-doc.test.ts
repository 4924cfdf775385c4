// The conformance table (docs/conformance.md) states how many cases of each AWS suite pass: check those numbers against the
// suites' folders (the vector tests then run each case by name).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { VECTORS_PRESENT, exists, listDirs, read } from './support/vectors.js';

const readme = readFileSync(new URL('../docs/conformance.md', import.meta.url), 'utf8');
const row = (suite: string): string => {
  const line = readme.split('\n').find((l) => l.startsWith(`| ${suite} |`));
  expect(line, suite).toBeDefined();
  return line!.split('|')[3]!.trim();
};

describe.runIf(VECTORS_PRESENT)('conformance table (docs/conformance.md)', () => {
  it('aws-c-auth v4: every case folder, both variants', () => {
    const n = listDirs('aws-signing-test-suite', 'v4').length;
    expect(row('aws-signing-test-suite v4, header variant')).toBe(`${n} / ${n}`);
    expect(row('aws-signing-test-suite v4, query variant')).toBe(`${n} / ${n}`);
  });
  it('the 2015 suite: every case folder', () => {
    let n = 0;
    for (const top of listDirs('aws-sig-v4-test-suite')) {
      n += exists('aws-sig-v4-test-suite', top, `${top}.req`) ? 1 : listDirs('aws-sig-v4-test-suite', top).length;
    }
    expect(row('AWS Signature Version 4 Test Suite (2015)')).toBe(`${n} / ${n}`);
  });
  it('the S3 documentation examples', () => {
    const ids = (JSON.parse(read('s3-docs.json')) as { examples: { id: string }[] }).examples.map((e) => e.id);
    const signing = ids.filter((id) => id !== 's3-post-policy-browser-upload').length;
    expect(row('Amazon S3 API Reference examples')).toBe(`${signing} / ${signing}`);
    expect(row('Amazon S3 POST policy example')).toBe('1 / 1');
  });
});
