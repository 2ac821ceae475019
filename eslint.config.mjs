import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { noSleep } from './scripts/lib/eslint-no-sleep.mjs';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', 'src/core/schema/generated/**', '.test-output/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { local: { rules: { 'no-sleep': noSleep } } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // No sleeps, in .ts and .mjs alike (tests, scripts, src): see scripts/lib/eslint-no-sleep.mjs.
      'local/no-sleep': 'error',
      // Prettier wraps code at 110 columns; this catches what it cannot: comments, lines without strings.
      'max-len': [
        'error',
        {
          code: 110,
          ignoreStrings: true,
          ignoreTemplateLiterals: true,
          ignoreRegExpLiterals: true,
          ignoreUrls: true,
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ImportDeclaration[source.value=/^(node:)?timers\\u002Fpromises$/]',
          message: 'Do not sleep: await the condition or event you mean.',
        },
        {
          selector:
            "CallExpression[callee.name='require'][arguments.0.value=/^(node:)?timers\\u002Fpromises$/]",
          message: 'Do not sleep: await the condition or event you mean.',
        },
      ],
    },
  },
  {
    files: ['src/core/**/*.ts', 'src/fake/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'vscode', message: 'The core never imports vscode; convert at the edge in src/vscode/.' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
        URL: 'readonly',
        fetch: 'readonly',
        Buffer: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
