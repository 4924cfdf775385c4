// Bundle sizes (esbuild for the browser, minified, tree-shaken, gzip -9), measured by bench/size.ts. The test
// enforces the ceilings in bench/size.ts; issue 4's smaller targets are reported by `cd bench && npm run size`.
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
