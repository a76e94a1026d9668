/** Every difference between the two databases is a named capability here, never an `if (postgres)` elsewhere. */
export interface Capabilities {
  dialect: 'sqlite' | 'postgres';
  /** `FOR UPDATE SKIP LOCKED` lets several workers claim from one table without blocking each other. */
  skipLocked: boolean;
  /** `LISTEN/NOTIFY` wakes idle workers in other processes. */
  notify: boolean;
  /** Column type of an auto-incrementing integer key. */
  serialPrimaryKey: 'integer' | 'bigserial';
  /** Largest number of bound parameters one statement may carry. */
  maxParameters: number;
  /**
   * How a write opts out of waiting for its commit to reach the disk (SQLite: synchronous=NORMAL set on the one
   * connection around it; PostgreSQL: it runs on a pool of its own whose sessions have synchronous_commit off).
   * Used for writes a crash may lose (the worker's bookkeeping, refused requests) and, on SQLite, by commitNowSyncLater.
   */
  relaxedCommit: 'pragma' | 'relaxed-pool';
  /**
   * How a list of ids travels as ONE bound parameter: a JSON array read with json_each (SQLite) or a text array
   * compared with = ANY (PostgreSQL). One fixed statement serves every list length, so it is prepared once.
   */
  idListParam: 'json-each' | 'any-array';
  /** Transaction-scoped advisory locks serialise writers of one entity across processes; SQLite has one writer anyway. */
  advisoryLocks: boolean;
  /**
   * The column that numbers deliveries in the order they were stored, which ordered delivery follows: SQLite's
   * rowid (one writer; a new rowid is above every stored one), PostgreSQL's sequence-filled `ordering_seq`.
   */
  insertOrder: 'rowid' | 'ordering_seq';
}

export const sqliteCapabilities: Capabilities = {
  dialect: 'sqlite',
  skipLocked: false,
  notify: false,
  serialPrimaryKey: 'integer',
  maxParameters: 30000,
  advisoryLocks: false,
  relaxedCommit: 'pragma',
  idListParam: 'json-each',
  insertOrder: 'rowid',
};

export const postgresCapabilities: Capabilities = {
  dialect: 'postgres',
  skipLocked: true,
  notify: true,
  serialPrimaryKey: 'bigserial',
  maxParameters: 60000,
  relaxedCommit: 'relaxed-pool',
  idListParam: 'any-array',
  advisoryLocks: true,
  insertOrder: 'ordering_seq',
};
