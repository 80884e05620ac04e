import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { redisForSpec } from './redisForSpec.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DOC = readFileSync(join(ROOT, 'docs/scaling.md'), 'utf8');
// Each ```ts block of the page is a complete file, run against the Redis of this spec (REDIS_URL).
const SNIPPETS = [...DOC.matchAll(/```ts\n([\s\S]*?)```/g)].map(([, code = '']) =>
  code.replace(/from 'jobstream\/server'/g, `from '${join(ROOT, 'src/server/index.js')}'`),
);

describe('docs/scaling.md', () => {
  const redis = redisForSpec();
  let directory: string;
  beforeAll(() => {
    // Inside the project, so the snippets' bare imports (redis, rxjs) resolve.
    directory = mkdtempSync(join(ROOT, 'spec/cluster/.doc-snippets-'));
    process.env.REDIS_URL = redis.url;
  });
  afterAll(() => {
    delete process.env.REDIS_URL;
    rmSync(directory, { recursive: true, force: true });
  });

  it('should have snippets to run', () => {
    expect(SNIPPETS.length).toBeGreaterThanOrEqual(1);
  });

  it.each(SNIPPETS.map((code, index) => [index + 1, code] as const))('should run snippet %i as written', async (index, code) => {
    const file = join(directory, `snippet${index}.ts`);
    writeFileSync(file, code);
    // A snippet asserts with node:assert and closes its servers; importing it runs it to the end.
    await expect(import(file)).resolves.toBeDefined();
  });
});
