import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'data/**', 'evals/out/**', 'src/platform/db/migrations/**', 'bin/**', 'models-dir/**', '.tmp/**', 'scratch/**', '.wrangler/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
      'no-restricted-imports': 'off',
    },
  },
  {
    files: ['src/web/static/**/*.js'],
    languageOptions: { globals: { document: 'readonly', window: 'readonly', EventSource: 'readonly', console: 'readonly' } },
  },
  {
    // pipelines are pure: no database, no HTTP, no environment, no vendor model packages
    files: ['pipelines/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: ['**/src/**', 'better-sqlite3', 'drizzle-orm*', 'hono*', '@hono/*', '@huggingface/*', '@energetic-ai/*', 'fasttext.wasm.js', '@ricky0123/*', '@fugood/*'],
      }],
      'no-restricted-globals': ['error', { name: 'process', message: 'pipelines take everything as input; no environment' }],
    },
  },
  {
    files: ['models/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['**/src/**', '**/pipelines/**'] }] },
  },
  {
    files: ['src/modules/**/http.ts', 'src/modules/**/http.tsx'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['drizzle-orm*', 'better-sqlite3', '**/repo', '**/repo.js'] }] },
  },
);
