// @ts-check
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import react from 'eslint-plugin-react';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  {
    ignores: [
      'dist/',
      'docs/api/',
      'coverage/',
      'node_modules/',
      'e2e/artifacts/',
      'demo/dist/',
    ],
  },
  js.configs.recommended,
  tseslint.configs.strictTypeChecked,
  tseslint.configs.stylisticTypeChecked,
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.browser, ...globals.node },
    },
    rules: {
      // `(x) => void doSomething(x)` and `onClose: () => map.delete(key)` are the codebase's shorthand
      // for fire-and-forget callbacks; forcing braces around every one of them adds noise, not safety.
      '@typescript-eslint/no-confusing-void-expression': [
        'error',
        { ignoreArrowShorthand: true, ignoreVoidOperator: true, ignoreVoidReturningFunctions: true },
      ],
      // Error messages interpolate numbers (`got ${value}`) on purpose: they say what was passed.
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true, allowNullish: true },
      ],
      // `interface` for object shapes that users extend, `type` for unions: both are used deliberately.
      '@typescript-eslint/consistent-type-definitions': 'off',
      // Forwarding what a `catch` caught (`Promise.reject(error)`) keeps the caller's error as is.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
      // `a || b` on strings treats '' as absent on purpose (an empty step or header shows nothing).
      '@typescript-eslint/prefer-nullish-coalescing': ['error', { ignorePrimitives: { string: true } }],
      // `method(this: void)` marks interface methods of closure-made objects as safe to pass detached.
      '@typescript-eslint/no-invalid-void-type': ['error', { allowAsThisParameter: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    files: ['**/*.tsx', 'src/react/**', 'src/compat/**', 'spec/react/**', 'spec/compat/**'],
    plugins: { react, 'react-hooks': reactHooks },
    settings: { react: { version: 'detect' } },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'react/jsx-no-script-url': 'error',
    },
  },
  {
    files: ['spec/**', 'marbles/**'],
    rules: {
      // Tests assert what they just set up: `result!.id` after `expect(result).toBeDefined()`.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Test doubles implement async interfaces without awaiting anything.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-empty-function': 'off',
      // Vitest's asymmetric matchers (`expect.any(Number)`) are typed `any`.
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
  },
);
