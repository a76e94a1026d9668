/**
 * Waits for `work` until `deadline` (a `Date.now()` time) and says whether it settled by then. The work is not
 * cancelled; a rejection counts as settled and is passed on.
 */
export async function settlesBy(work: Promise<unknown>, deadline: number): Promise<boolean> {
  if (deadline === Infinity) {
    await work;
    return true;
  }
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), Math.max(0, deadline - Date.now()));
  });
  try {
    return await Promise.race([work.then(() => true as const), late]);
  } finally {
    clearTimeout(timer);
  }
}
