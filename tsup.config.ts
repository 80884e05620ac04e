import { copyFileSync, mkdirSync } from 'node:fs';
import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    operators: 'src/operators/index.ts',
    server: 'src/server/index.ts',
    react: 'src/react/index.ts',
    compat: 'src/compat/index.ts',
    outbox: 'src/outbox.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  treeshake: true,
  async onSuccess() {
    mkdirSync('dist/react', { recursive: true });
    copyFileSync('src/react/styles.css', 'dist/react/styles.css');
  },
});
