import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(__dirname, '../src');

/** DESIGN.md's layers, lowest first; a layer may import its own folder and the ones before it. */
const LAYERS: Record<string, readonly string[]> = {
  protocol: [],
  operators: ['protocol'],
  transport: ['operators', 'protocol'],
  outbox: ['protocol'],
  client: ['transport', 'outbox', 'operators', 'protocol'],
  compat: ['client', 'transport', 'outbox', 'operators', 'protocol'],
  react: ['client', 'outbox', 'protocol'],
  server: ['protocol'],
};

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : /\.tsx?$/.test(entry.name) ? [join(dir, entry.name)] : [],
  );
}

/** The `src` folders a file imports from (`../client/x.js` → `client`), type-only imports included. */
function layersImportedBy(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  return [...source.matchAll(/^(?:import|export)\s[^;]*?from\s+'\.\.\/([a-z]+)\//gms)].map((match) => match[1] ?? '');
}

describe('layering', () => {
  it.each(Object.entries(LAYERS))('should keep src/%s to the layers below it', (layer, below) => {
    const files = filesUnder(join(SRC, layer));
    const offending = files.flatMap((file) =>
      layersImportedBy(file)
        .filter((imported) => !below.includes(imported))
        .map((imported) => `${file.slice(SRC.length + 1)} imports ${imported}/`),
    );
    expect(files.length).toBeGreaterThan(0);
    expect(offending).toEqual([]);
  });
});
