// Flat config: JS recommended + typescript-eslint recommended, with type-aware rules
// only where they pay for themselves (promises that are never awaited lose work).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'src/generated/', 'data/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // The service reads time only through its Clock (src/clock.ts); tests and benchmarks may time things.
    // SQL is held to the same rule: no now(), CURRENT_TIMESTAMP or CURRENT_DATE in application statements
    // (the migration runner's own bookkeeping in src/store/migrate*.ts is exempt).
    files: ['src/**/*.ts'],
    ignores: ['src/clock.ts', 'src/store/migrate.ts', 'src/store/migrate-cli.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "MemberExpression[object.name='Date'][property.name='now']", message: 'Pass `now` in; the clock is injected.' },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'new Date() reads the wall clock; pass `now` in from the Clock.' },
        { selector: 'TemplateElement[value.raw=/\\bnow\\(\\s*\\)|CURRENT_TIMESTAMP|CURRENT_DATE/i]', message: 'SQL now()/CURRENT_TIMESTAMP/CURRENT_DATE reads the database clock; pass the Clock\'s time as a parameter.' },
        { selector: 'Literal[value=/\\bnow\\(\\s*\\)|CURRENT_TIMESTAMP|CURRENT_DATE/i]', message: 'SQL now()/CURRENT_TIMESTAMP/CURRENT_DATE reads the database clock; pass the Clock\'s time as a parameter.' },
      ],
    },
  },
  {
    files: ['src/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['../store/*', '../bot/*', '../http/*', '../scheduler/*', '../generated/*', '@prisma/*', 'pg', 'fastify', 'pino'], message: 'engine/ is pure: no I/O imports.' }] }],
    },
  },
);
