import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import vue from 'eslint-plugin-vue';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'test-output/**', 'resources/**', 'training/**/*.py'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // formatting is prettier's job
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      'vue/html-indent': 'off',
      'vue/html-closing-bracket-newline': 'off',
      'vue/multiline-html-element-content-newline': 'off',
      'vue/first-attribute-linebreak': 'off',
    },
  },
  // Layer boundaries: common/ is shared by every runtime and may not reach into Node, Electron or the DOM;
  // the renderer never imports Node or backend code.
  {
    files: ['common/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['node:*', 'electron', '../main/*', '../renderer/*', '../preload/*', 'better-sqlite3', 'ws', 'fs', 'path'] },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,vue}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['node:*', 'electron', '**/main/*', '**/main/**', '**/preload/**', 'better-sqlite3', 'ws', 'fs', 'path'] },
      ],
    },
  },
  // the store's raw SQLite connection is for tests only: application code calls the store's methods
  {
    files: ['main/**/*.ts'],
    ignores: ['main/store/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['**/store/testing', '**/store/testing.ts'] }],
    },
  },
);
