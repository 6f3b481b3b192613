// The linter the project runs in CI (npm run lint): ESLint's and typescript-eslint's recommended
// rules, which catch mistakes rather than impose a style.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'views/static/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // `_name` marks what a destructuring leaves out on purpose.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  // Tests read JSON answers (OAuth, APIs) loosely, as a client would.
  { files: ['test/**'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
);
