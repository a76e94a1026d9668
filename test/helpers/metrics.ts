/** herald_deliveries_total{outcome="succeeded"} of one process: the deliveries its own worker recorded. */
export async function succeededByThisWorker(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('herald_deliveries_total{') && l.includes('outcome="succeeded"'));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}
