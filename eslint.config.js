// ESLint: recommended rules plus the type-aware ones a release engine needs (an unawaited promise is a lost step).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['dist/**', 'node_modules/**', 'test-output/**', 'test/fixtures/**', 'schema/**', '.slipway/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        // node:test's describe/it return promises the runner itself awaits.
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['describe', 'it', 'test'] },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' },
      ],
    },
  },
  {
    // The core depends on ports, never on an adapter (DESIGN.md): a Kubernetes beside a local target,
    // PostgreSQL beside SQLite, stay interchangeable only if the core cannot reach either.
    files: ['src/{spec,plan,engine,analysis,render,policy,strategies}/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '**/targets/local/**',
                '**/targets/kubernetes/**',
                '**/store/sqlite/**',
                '**/providers/**',
                '**/registry/**',
                '**/notify/**',
                '**/server/**',
                '**/cli/**',
              ],
              message:
                'the core depends on ports (targets/target.ts, store/store.ts, engine/ports.ts), never on an adapter',
            },
          ],
        },
      ],
    },
  },
  {
    // Vite reads its config from a default export.
    files: ['web/vite.config.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        Buffer: 'readonly',
      },
    },
  },
);
