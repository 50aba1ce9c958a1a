import js from '@eslint/js'
import globals from 'globals'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['dist/**', 'api/**', 'node_modules/**', 'coverage/**', '.cache/**'] },
  js.configs.recommended,
  // Type-aware rules for every TypeScript file (lib, __tests__, examples, bench): each file is
  // checked with the types of the tsconfig.json project that includes it.
  {
    files: ['**/*.ts'],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // An AbortSignal's reason and a caught error are passed on as they are: the caller's own
      // reason or the SDK's error, whatever their type (see AbortSignal.reason on MDN).
      '@typescript-eslint/prefer-promise-reject-errors': [
        'error',
        { allowThrowingAny: true, allowThrowingUnknown: true },
      ],
      '@typescript-eslint/only-throw-error': ['error', { allowThrowingAny: true, allowThrowingUnknown: true }],
    },
  },
  {
    files: ['lib/**/*.ts'],
    rules: {
      // fp-ts has no exports map: only its lib/*.js paths resolve from ES modules.
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^fp-ts/(?!lib/)', message: "Import from 'fp-ts/lib/<module>.js' so the ESM build resolves." },
          ],
        },
      ],
      // Error messages quote the caller's bad value, whatever it is (`got ${String(v)}`):
      // String() of an unknown value is the intent there.
      '@typescript-eslint/no-base-to-string': 'off',
    },
  },
  {
    files: ['lib/testing/sts/**/*.ts'],
    rules: {
      // The STS emulator throws its wire-level error answers (status, code, message), which
      // its handler catches and writes as the STS XML error document.
      '@typescript-eslint/only-throw-error': 'off',
    },
  },
  {
    files: ['__tests__/**/*.ts', 'examples/**/*.ts', 'bench/**/*.ts'],
    rules: {
      // Sources written as `async () => value` are this library's idiom for a credential
      // source: the async keyword turns a throw into a rejection, with nothing to await.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['__tests__/**/*.ts'],
    rules: {
      // Tests read back JSON, emulator records and jest mocks typed `any` (~200 hits):
      // their assertions check the shapes these rules would make them cast.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
    },
  },
  // The build and package scripts and the CommonJS test children are plain JavaScript run by
  // Node: Node globals, no type information.
  {
    files: ['**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
  },
)
