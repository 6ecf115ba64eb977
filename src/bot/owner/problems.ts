import type { CommandProblem, FieldProblem } from '../../engine/owner-command.ts';
import { truncate, type OwnerContext } from './context.ts';

/** The friendly explanation, with an example, for input that could not be used. */
export function describeProblem(ctx: OwnerContext, problem: FieldProblem | CommandProblem): string {
  const m = ctx.m;
  switch (problem.field) {
    case 'amount': {
      const got = truncate(problem.got, 40);
      if (problem.reason === 'not_positive') return m.amountNotPositive({ got });
      if (problem.reason === 'too_large') return m.amountTooLarge({ got });
      return m.badAmount({ got });
    }
    case 'due':
      return m.badDate({ got: truncate(problem.got, 40) });
    case 'phone':
      return m.badPhone({ got: truncate(problem.got, 40) });
    case 'usage':
      return m.usage({ topic: problem.command });
    case 'setting':
      return m.badSetting({ setting: problem.setting, got: truncate(problem.got, 40) });
  }
}
