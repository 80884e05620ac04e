import { describe, expect, it } from 'vitest';
import { HEAP_BUDGET_BYTES, measureCycles } from './leakProbe.js';

// The measurement itself: a spec that cannot see a leak proves nothing.
describe.skipIf(typeof globalThis.gc !== 'function')('measureCycles', () => {
  it('should see a leak of 2 KB a cycle over 1,000 cycles', async () => {
    const kept: unknown[] = [];
    const leaky = async () => {
      kept.push(Array.from({ length: 256 }, (_, index) => index + 0.5));
      await Promise.resolve();
    };
    const figures = await measureCycles(1000, leaky, () => Promise.resolve());
    expect(figures.heapGrowthBytes).toBeGreaterThan(HEAP_BUDGET_BYTES);
    expect(kept).toHaveLength(1000);
  });

  it('should see no growth from cycles that keep nothing', async () => {
    const figures = await measureCycles(
      1000,
      () => Promise.resolve(Array.from({ length: 256 }, (_, index) => index + 0.5)).then(() => undefined),
      () => Promise.resolve(),
    );
    expect(figures.heapGrowthBytes).toBeLessThan(HEAP_BUDGET_BYTES / 4);
  });
});
