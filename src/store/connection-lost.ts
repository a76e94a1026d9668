/**
 * True when a database call failed because the connection went away (server shutdown or terminated backend,
 * socket reset, client-side termination). A transaction that failed this way during COMMIT may or may not have
 * committed: nobody can tell from here.
 */
export function connectionLost(err: unknown): boolean {
  const e = err as { code?: string; message?: string; cause?: unknown } | null;
  const code = e?.code ?? '';
  if (['57P01', '57P02', '57P03', '08000', '08003', '08006', 'ECONNRESET', 'EPIPE', 'ECONNREFUSED'].includes(code)) return true;
  if (/Connection terminated|Client has encountered a connection error|Connection ended/i.test(e?.message ?? '')) return true;
  return e?.cause ? connectionLost(e.cause) : false;
}
