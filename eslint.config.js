import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import lit from 'eslint-plugin-lit';
import wc from 'eslint-plugin-wc';
import litA11y from 'eslint-plugin-lit-a11y';
import globals from 'globals';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

export default tseslint.config(
  { ignores: ['dist/', 'coverage/', 'node_modules/', '.bench/', 'custom-elements.json'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/**/*.ts', 'demo/**/*.ts', 'test/element/**/*.ts'],
    ignores: ['src/server/**'],
    ...lit.configs['flat/recommended'],
  },
  {
    files: ['src/**/*.ts', 'demo/**/*.ts'],
    ignores: ['src/server/**'],
    ...wc.configs['flat/best-practice'],
  },
  {
    files: ['src/**/*.ts', 'demo/**/*.ts'],
    ignores: ['src/server/**'],
    ...litA11y.configs.recommended,
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/server/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/server/**', 'node:*'], message: 'Browser code never imports server code or Node built-ins.' },
          ],
        },
      ],
    },
  },
  {
    // Every module of the package imports in one direction: a cycle (dynamic and type imports too) fails.
    files: ['src/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      ...importX.flatConfigs.typescript.settings,
      'import-x/resolver-next': [createTypeScriptImportResolver()],
    },
    rules: { 'import-x/no-cycle': 'error' },
  },
  {
    files: ['src/server/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/element/**', '**/amazonpay-dqr*', '**/define*', 'lit', 'lit/*'],
              message: 'Server code never imports the element.',
            },
          ],
        },
      ],
    },
  },
);
