import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

// ESLint keeps one no-restricted-imports per file (the last block that sets it wins), so blocks that restrict
// the same files share their patterns.
const openTelemetryOnlyWhenTracing = {
  group: ['@opentelemetry/*', '@temporalio/interceptors-opentelemetry', '@temporalio/interceptors-opentelemetry/*'],
  allowTypeImports: true,
  message: 'Import OpenTelemetry only in runtime/tracing.ts or api/http-spans.ts (loaded when tracing is on).',
};
const noActivities = {
  group: ['**/activities', '**/activities/*'],
  message: 'The API and the console do not import activity code: shared reads live in db/, rules in domain/, chat posting in runtime/chat-http.ts.',
};

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
    // Tracing is off by default and then loads nothing: only these modules (imported lazily when it is on) touch OpenTelemetry.
    files: ['api/**/*.ts', 'runtime/**/*.ts', 'console/**/*.tsx', 'console/**/*.ts', 'scripts/**/*.ts', 'activities/**/*.ts', 'db/**/*.ts', 'domain/**/*.ts'],
    ignores: ['runtime/tracing.ts', 'api/http-spans.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [openTelemetryOnlyWhenTracing],
        },
      ],
    },
  },
  {
    // The API and the console drive workflows through the Temporal client; activity code runs only in the worker.
    files: ['api/**/*.ts', 'console/**/*.ts', 'console/**/*.tsx'],
    ignores: ['api/http-spans.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [openTelemetryOnlyWhenTracing, noActivities] }] },
  },
  {
    files: ['api/http-spans.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noActivities] }] },
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
  {
    // db/ is below the API: the rules for values it shares with it live in contracts/, never in api/ or console/.
    files: ['db/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/api/*', '**/api/**', '**/console/*', '**/console/**'], message: 'db/ never imports api/ or console/: put shared rules in contracts/.' },
            openTelemetryOnlyWhenTracing,
          ],
        },
      ],
    },
  },
);
