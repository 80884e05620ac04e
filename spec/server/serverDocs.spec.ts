import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DOC = readFileSync(join(ROOT, 'docs/server.md'), 'utf8');
// Each ```ts block of the page is a complete file; the package's entries point at the sources.
const SNIPPETS = [...DOC.matchAll(/```ts\n([\s\S]*?)```/g)].map(([, code = '']) =>
  code
    .replace(/from 'jobstream\/server'/g, `from '${join(ROOT, 'src/server/index.js')}'`)
    .replace(/from 'jobstream'/g, `from '${join(ROOT, 'src/index.js')}'`),
);

describe('docs/server.md', () => {
  let directory: string;
  beforeAll(() => {
    // Inside the project, so the snippets' bare imports (rxjs, socket.io-client) resolve.
    directory = mkdtempSync(join(ROOT, 'spec/server/.doc-snippets-'));
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('should have snippets to run', () => {
    expect(SNIPPETS.length).toBeGreaterThanOrEqual(6);
  });

  it.each(SNIPPETS.map((code, index) => [index + 1, code] as const))('should run snippet %i as written', async (index, code) => {
    const file = join(directory, `snippet${index}.ts`);
    writeFileSync(file, code);
    // A snippet asserts with node:assert and closes its servers; importing it runs it to the end.
    await expect(import(file)).resolves.toBeDefined();
  });
});
