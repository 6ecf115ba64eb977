// Prepared statements on PostgreSQL. A statement sent without a name is parsed and planned anew
// on every execution; for this service's queries (CTEs that read a message's sender in one go,
// the risk facts, the statement) planning is most of the server's work: 60-90% of a statement's
// CPU, measured in bench/telegram.ts. A named statement is parsed once per connection, and after a
// few executions PostgreSQL may keep a generic plan for it (plan_cache_mode decides), which is
// what Prisma's own engine did before driver adapters (its statement cache).
//
// Which texts get names: one seen a second time, until `max` texts are named (the service's
// statements are fixed texts with parameters, a few hundred at most); a text seen once is
// probably one of a kind (an IN list of some length) and stays unnamed. Names are handed out once
// for the process, so every pooled connection agrees on what each name means. Only statements
// with parameters are named: one without parameters may be a script of several statements, which
// only the simple protocol runs.
//
// A pooler in transaction mode (PgBouncer before 1.21, or without max_prepared_statements) does not
// keep a connection's prepared statements: set DATABASE_STATEMENT_CACHE=0 there.

/** How many texts one process may remember having seen once, before it forgets them all. */
const SEEN_ONCE_LIMIT = 5_000;

export class StatementNames {
  private readonly names = new Map<string, string>();
  private seenOnce = new Set<string>();

  /** `max`: how many statement texts to name at most; 0 names none. */
  constructor(readonly max: number) {}

  /** The name to prepare this text under, or undefined to send it unnamed. */
  nameFor(text: string, parameterCount: number): string | undefined {
    if (parameterCount === 0) return undefined;
    const named = this.names.get(text);
    if (named !== undefined || this.names.size >= this.max) return named;
    if (!this.seenOnce.has(text)) {
      if (this.seenOnce.size >= SEEN_ONCE_LIMIT) this.seenOnce = new Set();
      this.seenOnce.add(text);
      return undefined;
    }
    this.seenOnce.delete(text);
    const name = `paynudge_${this.names.size + 1}`;
    this.names.set(text, name);
    return name;
  }

  /** How many texts have names. */
  get size(): number {
    return this.names.size;
  }
}
