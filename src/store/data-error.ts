/**
 * Whether a failed statement was refused for what it carried (a value, a constraint) rather than because the store
 * could not be reached or written. Only the first kind is worth retrying row by row: a connection that dropped, a
 * lock that timed out or a privilege that is missing refuse every row alike, and are waited out instead.
 */
export function isDataError(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return false;
  // PostgreSQL SQLSTATE classes: 22 data exception (bad encoding, value out of range), 23 integrity constraint
  // violation, 54 program limit exceeded (a value too large for an index).
  if (/^(22|23|54)[0-9A-Z]{3}$/.test(code)) return true;
  // SQLite (better-sqlite3's extended codes).
  return code.startsWith('SQLITE_CONSTRAINT') || code === 'SQLITE_MISMATCH' || code === 'SQLITE_TOOBIG' || code === 'SQLITE_RANGE';
}
