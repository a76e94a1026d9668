/**
 * A simulated lab platform: it publishes enrollments to Herald's API the way a real platform would, a new
 * student starting every few seconds and, now and then, an earlier enrollment finishing.
 */
export interface PlatformOptions {
  heraldUrl: string;
  token: string;
  everyMs?: number;
  log?: (line: string) => void;
}

const STUDENTS = ['ada', 'grace', 'linus', 'margaret', 'alan', 'barbara', 'dennis', 'frances', 'ken', 'radia'];
const COURSES = ['kubernetes-101', 'linux-networking', 'terraform-basics'];

export function startLabPlatform({ heraldUrl, token, everyMs = 5000, log = () => {} }: PlatformOptions) {
  let n = 0;
  const started: string[] = [];
  let published = 0;

  async function publish(event: Record<string, unknown>): Promise<void> {
    try {
      const res = await fetch(`${heraldUrl}/v1/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(event),
      });
      if (res.status !== 202) log(`platform: Herald answered ${res.status}: ${await res.text()}`);
      else published++;
    } catch (e) {
      log(`platform: publish failed: ${(e as Error).message}`);
    }
  }

  async function tick(): Promise<void> {
    n++;
    const student = STUDENTS[(n - 1) % STUDENTS.length]!;
    const course = COURSES[(n - 1) % COURSES.length]!;
    const enrollment = `enr_${Date.now().toString(36)}_${student}`;
    started.push(enrollment);
    await publish({ type: 'ONDEMAND_ENROLLMENT', action: 'STARTED', entity_ids: [enrollment], data: { student, course } });
    log(`platform: ${student} started ${course} (${enrollment})`);
    if (n % 3 === 0 && started.length > 2) {
      const done = started.shift()!;
      await publish({ type: 'ONDEMAND_ENROLLMENT', action: 'FINISHED', entity_ids: [done], data: {} });
      log(`platform: ${done} finished`);
    }
  }

  void tick();
  const timer = setInterval(() => void tick(), everyMs);
  return {
    published: () => published,
    enrollments: () => [...started],
    stop(): void {
      clearInterval(timer);
    },
  };
}
