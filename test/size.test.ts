// Bundle sizes (esbuild for the browser, minified, tree-shaken, gzip -9), measured by bench/size.ts. The test
// enforces the ceilings in bench/size.ts; issue 4's smaller targets are reported by `cd bench && npm run size`.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BUDGETS, CEILINGS, ownSizes } from '../bench/size.js';

describe('bundle size', async () => {
  const rows = await ownSizes();
  it.each(Object.entries(CEILINGS))('%s is at most %i bytes min+gzip', (name, ceiling) => {
    const row = rows.find((r) => r.name === name);
    expect(row, name).toBeDefined();
    expect(row!.gzip).toBeGreaterThan(500); // a bundle that lost its code is no success
    expect(row!.gzip).toBeLessThanOrEqual(ceiling);
  });
  it('presignUrlV4a is at most presignUrl + 2,000 bytes min+gzip (issue 16)', () => {
    const gzip = (name: string): number => rows.find((r) => r.name === name)!.gzip;
    console.log(
      `size: presignUrlV4a ${gzip('presignUrlV4a')} B = presignUrl + ${gzip('presignUrlV4a') - gzip('presignUrl')} B`,
    );
    expect(gzip('presignUrlV4a')).toBeLessThanOrEqual(gzip('presignUrl') + 2000);
  });
  it('reports issue 4 targets', () => {
    for (const [name, target] of Object.entries(BUDGETS)) {
      const row = rows.find((r) => r.name === name)!;
      console.log(
        `size: ${name} ${row.gzip} B min+gzip (issue 4 target ${target} B: ${row.gzip <= target ? 'met' : 'not met'})`,
      );
    }
    expect(rows.length).toBe(Object.keys(CEILINGS).length);
  });
});

// The README's size table shows sigv4's own bundles in KB (one decimal): each row named after an entry must say
// what the bundle weighs today, so the table cannot go stale when a feature lands.
describe("the README's size table", async () => {
  const rows = await ownSizes();
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const block = readme.slice(readme.indexOf('<!-- size:begin'), readme.indexOf('<!-- size:end -->'));
  const shown = new Map<string, string>();
  for (const line of block.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const label = /^`([^`]+)`$/.exec(cells[1] ?? '')?.[1];
    if (label !== undefined && rows.some((r) => r.name === label)) shown.set(label, cells[2]!);
  }
  it('shows the main entries', () => {
    expect([...shown.keys()]).toEqual(
      expect.arrayContaining(['presignUrl', 'signRequest', 'createPresignedPost', 'sigv4/lite presignUrl']),
    );
  });
  it.each([...shown])('%s is shown at its measured size', (name, cell) => {
    const row = rows.find((r) => r.name === name)!;
    expect(cell).toBe(`${(row.gzip / 1000).toFixed(1)} KB`);
  });
});
