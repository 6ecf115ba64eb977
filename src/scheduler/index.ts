// The jobs of a day, on node-cron: plan reminders (and ask for approval), watch promises, send
// digests; the dispatcher drains the outbox every few seconds. Each job runs on one instance at
// a time (PostgreSQL advisory lock) and is idempotent, so several instances do the work once.
import cron, { type ScheduledTask } from 'node-cron';
import type { Clock } from '../clock.ts';
import type { Logger } from '../log.ts';
import type { Database } from '../store/database.ts';
import { queueApprovalRequests } from './approvals.ts';
import { sendDueDigests } from './digest.ts';
import { runExclusive } from './lock.ts';
import { planReminders } from './plan.ts';
import { watchPromises } from './promises.ts';

export interface DayJobsResult {
  planned: number;
  approvalRequests: number;
  brokenPromises: number;
  digests: number;
}

/** Runs planning, approval requests, promise watch and digests once, in that order. */
export async function runDayJobs(db: Pick<Database, 'prisma' | 'engine' | 'sql'>, now: Date): Promise<DayJobsResult> {
  const watched = await runExclusive(db, 'promise-watch', () => watchPromises(db.prisma, { now }));
  const planned = await runExclusive(db, 'plan', async () => {
    const plan = await planReminders(db, { now });
    const approvals = await queueApprovalRequests(db.prisma, { now, businessIds: plan.awaitingApproval });
    return { planned: plan.planned, approvalRequests: approvals.queued };
  });
  const digests = await runExclusive(db, 'digest', () => sendDueDigests(db.prisma, { now }));
  return {
    planned: planned.ran ? planned.result.planned : 0,
    approvalRequests: planned.ran ? planned.result.approvalRequests : 0,
    brokenPromises: watched.ran ? watched.result.broken : 0,
    digests: digests.ran ? digests.result.queued : 0,
  };
}

export class Scheduler {
  private readonly tasks: ScheduledTask[] = [];
  /** The run in progress: a tick that comes while one runs is skipped, not queued. */
  private running: Promise<void> | null = null;

  constructor(private readonly deps: { db: Pick<Database, 'prisma' | 'engine' | 'sql'>; clock: Clock; logger: Logger }) {}

  /**
   * Every 5 minutes: each business is planned in its own time zone, once per day per debtor.
   * The first run is at once, and the promise returned settles when it has finished: a process
   * that starts after a crash mid-run or a deploy finishes the day's unfinished jobs without
   * waiting for the next tick (the service awaits it before it says "ready"). The jobs are
   * idempotent, so what was already done is done nothing twice.
   */
  start(expression = '*/5 * * * *'): Promise<void> {
    const task = cron.schedule(expression, () => this.runNow(), { name: 'paynudge-day-jobs', noOverlap: true });
    this.tasks.push(task);
    return this.runNow();
  }

  /** Runs the day's jobs now, unless a run is already in progress (then waits for that one). */
  runNow(): Promise<void> {
    if (this.running) return this.running;
    this.running = (async () => {
      try {
        const result = await runDayJobs(this.deps.db, this.deps.clock.now());
        if (result.planned || result.brokenPromises || result.digests) this.deps.logger.info(result, 'jobs.ran');
      } catch (err) {
        this.deps.logger.error({ err }, 'jobs.failed');
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  /** Stops the schedule and waits for a run in progress to finish. */
  async stop(): Promise<void> {
    for (const task of this.tasks) await task.stop();
    this.tasks.length = 0;
    await this.running;
  }
}
