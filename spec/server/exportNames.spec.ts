import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
// The package's entries, as tsup builds them: `name: 'src/….ts'` lines of its `entry` map.
const ENTRIES = Object.fromEntries(
  [...readFileSync(join(ROOT, 'tsup.config.ts'), 'utf8').matchAll(/^\s+(\w+): '(src\/[^']+\.ts)',$/gm)].map(
    ([, name = '', file = '']) => [name, join(ROOT, file)],
  ),
);

/** Each name an entry exports, with the declaration it stands for (aliases followed). */
function exportsOf(program: ts.Program, file: string): Map<string, ts.Symbol> {
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(program.getSourceFile(file)!);
  const exports = new Map<string, ts.Symbol>();
  for (const symbol of module ? checker.getExportsOfModule(module) : []) {
    exports.set(symbol.name, symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol);
  }
  return exports;
}

describe('jobstream/server exports', () => {
  it('should name nothing that another entry exports under the same name for something else', () => {
    const options = {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      jsx: ts.JsxEmit.ReactJSX,
      noLib: true,
      types: [],
    };
    // Only the package's own sources matter: leaving dependencies out keeps this a matter of seconds.
    const host = ts.createCompilerHost(options);
    const fileExists = host.fileExists.bind(host);
    host.fileExists = (file) => !file.includes('/node_modules/') && fileExists(file);
    const program = ts.createProgram(Object.values(ENTRIES), options, host);
    const server = exportsOf(program, ENTRIES.server ?? '');
    const clashes = Object.entries(ENTRIES)
      .filter(([name]) => name !== 'server')
      .flatMap(([entry, file]) =>
        [...exportsOf(program, file)]
          .filter(([name, symbol]) => server.has(name) && server.get(name) !== symbol)
          .map(([name]) => `${entry}: ${name}`),
      );

    expect(Object.keys(ENTRIES)).toEqual(expect.arrayContaining(['index', 'server', 'react']));
    expect(server.size).toBeGreaterThan(20);
    expect(clashes).toEqual([]);
  });
});
