// What the SQL store needs of a database: statements with `?` (or `@name`) parameters, transactions,
// versioned migrations, a snapshot. SQLite (embedded) and PostgreSQL (several app instances) provide it.
export type Row = Record<string, unknown>;
export type Params = readonly unknown[] | Record<string, unknown>;

export interface SqlRunner {
  all(sql: string, params?: Params): Promise<Row[]>;
  get(sql: string, params?: Params): Promise<Row | undefined>;
  /** The number of rows changed. */
  run(sql: string, params?: Params): Promise<number>;
}

export interface SqlDriver extends SqlRunner {
  readonly dialect: 'sqlite' | 'postgres';
  /** Appended to a SELECT that reads a row the transaction will rewrite (row lock where the database has them). */
  readonly forUpdate: string;
  /** All or nothing; the driver retries nothing, the callback may run statements only through `tx`. */
  transaction<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T>;
  /** Applies the migrations the database has not seen yet, each in a transaction. */
  migrate(migrations: readonly string[]): Promise<void>;
  /** A consistent copy of the database in `file` while the app runs (SQLite only: PostgreSQL has pg_dump). */
  snapshot(file: string): Promise<void>;
  /**
   * After an erasure: leaves no copy of deleted rows where the database keeps them. SQLite zeroes
   * freed pages itself (secure_delete) and here truncates its write-ahead log, which still holds the
   * pages as they were; PostgreSQL's dead rows go at its next VACUUM.
   */
  forget(): Promise<void>;
  close(): Promise<void>;
}

const bound = new Map<string, { sql: string; names: string[] }>();

/** `@name` parameters become positional `?`, in order; arrays pass through. */
export function bind(sql: string, params: Params = []): { sql: string; values: unknown[] } {
  if (Array.isArray(params)) return { sql, values: params as unknown[] };
  let entry = bound.get(sql);
  if (!entry) {
    const names: string[] = [];
    entry = { sql: sql.replace(/@(\w+)/g, (_, name: string) => { names.push(name); return '?'; }), names };
    bound.set(sql, entry);
  }
  const named = params as Record<string, unknown>;
  return { sql: entry.sql, values: entry.names.map((name) => named[name] ?? null) };
}

/** A unique constraint or primary key refused the row, on a constraint whose name or columns mention `column`. */
export function isUniqueViolation(error: unknown, column: string): boolean {
  const code = (error as { code?: string }).code;
  return (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505') && String((error as Error).message).includes(column);
}

/** Thrown when the database was migrated by a newer Badgeons. */
export function schemaTooNew(current: number, known: number): Error {
  return new Error(`the database is at schema version ${current}, newer than this Badgeons (${known})`);
}
