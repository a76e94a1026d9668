// `npm start`'s prestart: builds dist/ only when it is missing or older than what it is built from, so a start
// with nothing changed does not wait for the compiler. "Older" is by modification time against a stamp written
// after each successful build here; git writes every file a pull or checkout changes with the current time, so
// those always count as newer.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const STAMP = join(root, 'dist', '.build-stamp');
const INPUTS = ['src', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json'];

function newest(path) {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let max = s.mtimeMs; // a deleted or renamed file changes its directory's time
  for (const entry of readdirSync(path)) max = Math.max(max, newest(join(path, entry)));
  return max;
}

const built = existsSync(STAMP) ? statSync(STAMP).mtimeMs : 0;
const changed = Math.max(...INPUTS.map((p) => newest(join(root, p))));
if (built === 0 || changed > built || !existsSync(join(root, 'dist', 'main.js'))) {
  process.stdout.write(built === 0 ? 'building dist/ (first start)\n' : 'sources changed since the last build: rebuilding dist/\n');
  const startedAt = Date.now();
  execSync('npm run build --silent', { cwd: root, stdio: 'inherit' });
  writeFileSync(STAMP, '');
  // The stamp's time is the build's start: a file saved while it compiled is seen as newer next time.
  utimesSync(STAMP, new Date(startedAt), new Date(startedAt));
}
