import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(__dirname, '../../src');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : /\.tsx?$/.test(entry.name) ? [join(dir, entry.name)] : [],
  );
}

/** Every `from '…'` of a file, with whether the whole import is type-only. */
function importsOf(file: string): { from: string; typeOnly: boolean }[] {
  const source = readFileSync(file, 'utf8');
  return [...source.matchAll(/^(?:import|export)\s+(type\s+)?[^;]*?from\s+'([^']+)'/gms)].map((match) => ({
    from: match[2] ?? '',
    typeOnly: match[1] !== undefined,
  }));
}

describe('src/react layering', () => {
  it('should import only react, observable-hooks, the client, the protocol and outbox types', () => {
    const offending = filesUnder(join(SRC, 'react')).flatMap((file) =>
      importsOf(file)
        .filter(({ from, typeOnly }) => {
          if (from === 'react' || from === 'observable-hooks' || from.startsWith('./')) return false;
          if (from.startsWith('../client/') || from.startsWith('../protocol/')) return false;
          return !(from.startsWith('../outbox/') && typeOnly);
        })
        .map(({ from }) => `${file}: ${from}`),
    );
    expect(offending).toEqual([]);
  });

  it('should never be imported by the core layers', () => {
    const core = ['client', 'protocol', 'outbox', 'transport', 'operators', 'server'].flatMap((layer) => filesUnder(join(SRC, layer)));
    const offending = core.flatMap((file) =>
      importsOf(file)
        .filter(({ from }) => from === 'react' || from === 'observable-hooks' || /(^|\/)react\//.test(from))
        .map(({ from }) => `${file}: ${from}`),
    );
    expect(core.length).toBeGreaterThan(20);
    expect(offending).toEqual([]);
  });
});
