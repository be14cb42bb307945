// ESLint for the whole repository, with type information; `npm test` runs it with --max-warnings 0.
// Formatting is Prettier's job: eslint-config-prettier comes last and turns the stylistic rules off.
import js from '@eslint/js';
import nextPlugin from '@next/eslint-plugin-next';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores([
    '.next/',
    '.next*/',
    'node_modules/',
    'dist/',
    'data/',
    'bench/results/',
    // The generated Prisma client.
    'lib/generated/',
    'next-env.d.ts',
    'test/fixtures/**',
    'test-results/',
  ]),
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
  },
  reactHooks.configs.flat.recommended,
  nextPlugin.configs.recommended,
  nextPlugin.configs['core-web-vitals'],
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      // TypeScript itself reports undefined names, and knows the DOM and Node globals.
      'no-undef': 'off',
      // `const { dropped, ...rest } = row` is how the code leaves a field out of an answer.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
      // Implementations of Promise-returning interfaces are `async` even without an await, so that a throw
      // becomes a rejection like everywhere else; the rule would have them return Promise.resolve() instead.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['test/**'],
    rules: {
      // Tests read JSON answers (`any` from response.json()) and assert on their shape; the assertions are the check.
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { ...globals.node } },
  },
  prettier,
);
