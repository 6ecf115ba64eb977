// The one-clock rule is enforced by lint: application code under src/ may not read the wall clock
// or the database's clock. These run the project's own ESLint config on small snippets.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({
  cwd: new URL('../..', import.meta.url).pathname,
  // Type-aware rules need a real file in the TypeScript project; the clock rule does not.
  overrideConfig: {
    languageOptions: { parserOptions: { projectService: false, project: null } },
    rules: { '@typescript-eslint/no-floating-promises': 'off' },
  },
});

async function clockErrors(code: string, filePath = 'src/store/probe.ts'): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => m.message);
}

describe('the one-clock lint rule', () => {
  it('refuses new Date() without arguments in src/', async () => {
    expect(await clockErrors('export const t = new Date();\n')).toHaveLength(1);
  });

  it('allows new Date(value), which reads no clock', async () => {
    expect(await clockErrors('export const t = new Date(0);\n')).toEqual([]);
  });

  it('refuses Date.now() in src/', async () => {
    expect(await clockErrors('export const t = Date.now();\n')).toHaveLength(1);
  });

  it.each([
    ['now() in a template statement', 'export const q = `UPDATE t SET updated_at = now() WHERE id = $1`;\n'],
    ['CURRENT_TIMESTAMP in a string statement', "export const q = 'INSERT INTO t (at) VALUES (CURRENT_TIMESTAMP)';\n"],
    ['CURRENT_DATE in a template statement', 'export const q = `SELECT * FROM t WHERE d < CURRENT_DATE`;\n'],
  ])('refuses SQL %s', async (_what, code) => {
    expect(await clockErrors(code)).toHaveLength(1);
  });

  it('leaves the Clock itself and the migration runner alone', async () => {
    expect(await clockErrors('export const t = new Date();\n', 'src/clock.ts')).toEqual([]);
    expect(await clockErrors('export const q = `INSERT INTO m (at) VALUES (now())`;\n', 'src/store/migrate.ts')).toEqual([]);
  });
});
