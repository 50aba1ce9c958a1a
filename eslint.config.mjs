import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['dist/**', 'docs/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['lib/**/*.ts'],
    rules: {
      // fp-ts has no exports map: only its lib/*.js paths resolve from ES modules.
      'no-restricted-imports': ['error', { patterns: [{ regex: '^fp-ts/(?!lib/)', message: "Import from 'fp-ts/lib/<module>.js' so the ESM build resolves." }] }],
    },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
)
