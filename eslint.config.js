import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

export default tseslint.config(
  { ignores: ['node_modules/**', '.data/**', 'test-results/**', 'bench/results/**'] },
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true } },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      // An un-awaited promise loses its error, and in a workflow its ordering.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
    },
  },
  {
    // Workflow code is replayed: no Node built-ins, no I/O, only @temporalio/workflow and pure modules.
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...builtinModules, ...builtinModules.map((m) => `node:${m}`)].map((name) => ({
            name,
            message: 'Node built-ins are not deterministic: keep them out of workflows/.',
          })),
          patterns: [
            { group: ['**/activities/*'], allowTypeImports: true, message: 'Workflows import activities as types only.' },
            { group: ['**/db/*', '**/api/*', '**/runtime/*', 'postgres', 'hono'], message: 'Workflows do no I/O.' },
          ],
        },
      ],
    },
  },
);
