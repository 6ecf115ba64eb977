// Prepared statements on embedded PGlite. PGlite's query() sends every statement unnamed, so the
// WASM PostgreSQL parses and plans it on every execution; for this service's statements that is
// most of the work (a message's CTE: about 600 us unnamed, 280 us prepared, on the bot's one
// thread). This wraps a PGlite so that a statement text seen repeatedly (StatementNames decides,
// as for PostgreSQL) is parsed once under a name, and then only bound and executed, through
// PGlite's public protocol interface (execProtocol, protocol.serialize, parse.parseResults), with
// the same locks, parameter serializers, result parsers and file-system sync as query() itself.
// Everything else (exec, transactions, listen, close) is PGlite's own.
import { parse, protocol, type PGlite, type QueryOptions, type Results, type Transaction } from '@electric-sql/pglite';
import type { StatementNames } from './statement-names.ts';

type Query = <T>(text: string, params?: unknown[], options?: QueryOptions) => Promise<Results<T>>;

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** `pglite`, preparing the statements `names` names once for its session. */
export function preparingPGlite(pglite: PGlite, names: StatementNames): PGlite {
  const { serialize } = protocol;
  /** Parameter type ids of each statement prepared in this session, by name. */
  const prepared = new Map<string, number[]>();
  // parseResults merges the caller's parsers into PGlite's (some 300 types) on every call when
  // given both; the Prisma adapter passes the same few on every query, so merge them once.
  type Parsers = PGlite['parsers'];
  const merged = new WeakMap<object, { base: Parsers; parsers: Parsers }>();
  const parsersFor = (options: QueryOptions | undefined): Parsers => {
    if (!options?.parsers) return pglite.parsers;
    let entry = merged.get(options.parsers);
    if (entry?.base !== pglite.parsers) merged.set(options.parsers, (entry = { base: pglite.parsers, parsers: { ...pglite.parsers, ...(options.parsers as Parsers) } }));
    return entry.parsers;
  };

  /** Runs a named statement, preparing it first if need be; the caller holds the transaction lock. */
  const runNamed = <T>(name: string, text: string, params: unknown[], options: QueryOptions | undefined, syncAfter: boolean) =>
    pglite._runExclusiveQuery(async (): Promise<Results<T>> => {
      let types = prepared.get(name);
      if (types === undefined) {
        try {
          const described = await pglite.execProtocol(concat([serialize.parse({ name, text, types: options?.paramTypes }), serialize.describe({ type: 'S', name }), serialize.sync()]), { syncToFs: false });
          types = parse.parseDescribeStatementResults(described.messages);
        } catch (err) {
          // Leave no half-prepared statement behind (its name could never be prepared again).
          await pglite.execProtocol(concat([serialize.close({ type: 'S', name }), serialize.sync()]), { syncToFs: false, throwOnError: false });
          throw err;
        }
        prepared.set(name, types);
      }
      const values = params.map((value, i) => {
        if (value === null || value === undefined) return null;
        const serializer = options?.serializers?.[types[i]!] ?? pglite.serializers[types[i]!];
        return serializer ? serializer(value) : String(value);
      });
      // Bind, describe, execute and sync in one call: on an error the server skips to the sync,
      // so the session is ready again when the error is thrown.
      const { messages } = await pglite.execProtocol(
        concat([serialize.bind({ statement: name, values: values as string[] }), serialize.describe({ type: 'P' }), serialize.execute({}), serialize.sync()]),
        { syncToFs: false },
      );
      if (syncAfter) await pglite.syncToFs();
      return parse.parseResults(messages, parsersFor(options), { ...options, parsers: undefined })[0] as Results<T>;
    });

  const queryOn = (target: PGlite | Transaction, inTransaction: boolean): Query =>
    async function query<T>(text: string, params: unknown[] = [], options?: QueryOptions): Promise<Results<T>> {
      const name = options?.blob ? undefined : names.nameFor(text, params.length);
      if (name === undefined) return target.query<T>(text, params, options);
      if (inTransaction) return runNamed<T>(name, text, params, options, false);
      await pglite._checkReady();
      return pglite._runExclusiveTransaction(() => runNamed<T>(name, text, params, options, true));
    };

  const withQuery = <O extends object>(target: O, query: Query, extra: Record<string | symbol, unknown> = {}): O =>
    new Proxy(target, {
      get(t, key) {
        if (key === 'query') return query;
        if (key in extra) return extra[key];
        const value = Reflect.get(t, key, t) as unknown;
        // PGlite's methods use private fields: they run on the object itself, not on the proxy.
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(t) : value;
      },
    });

  return withQuery(pglite, queryOn(pglite, false), {
    transaction: <T>(fn: (tx: Transaction) => Promise<T>) => pglite.transaction((tx) => fn(withQuery(tx, queryOn(tx, true)))),
  });
}
