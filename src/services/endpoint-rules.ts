import { cloudpodsEndpointProblems } from '../formats/cloudpods.js';
import { headerValueProblem, reservedHeaderProblem } from '../formats/headers.js';
import type { Problem } from '../errors.js';
import { urlProblem, type AllowPrivate } from '../delivery/ssrf.js';

export const FORMATS = ['strigo', 'cloudpods', 'standard'] as const;

export interface EndpointFields {
  /** Absent only when checking what a refused request got right: the checks that need it are skipped. */
  url?: string;
  /** As `url`; without it the checks that depend on the format are skipped. */
  format?: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
  msg_key: string;
  secret: string | null;
}

const WHSEC = /^whsec_([A-Za-z0-9+/]+={0,2})$/;

/** Semantic checks the schema cannot express. Pure: the caller decides what to do with the problems. */
export function endpointProblems(f: EndpointFields, allow: AllowPrivate): Problem[] {
  const problems: Problem[] = [];
  const urlIssue = f.url === undefined ? null : urlProblem(f.url, allow);
  if (urlIssue) problems.push({ path: '/url', message: urlIssue });
  for (const [name, value] of Object.entries(f.headers)) {
    const issue = reservedHeaderProblem(name) ?? headerValueProblem(value);
    if (issue) problems.push({ path: `/headers/${name}`, message: issue });
  }
  if (f.secret !== null && f.format !== undefined && f.format !== 'cloudpods') {
    const m = WHSEC.exec(f.secret);
    const bytes = m ? Buffer.from(m[1]!, 'base64').length : 0;
    if (!m || bytes < 24 || bytes > 64) {
      problems.push({ path: '/secret', message: 'must be whsec_ followed by the base64 of 24 to 64 random bytes' });
    }
  }
  if (f.secret !== null && f.secret.length === 0) problems.push({ path: '/secret', message: 'must not be empty' });
  if (f.format === 'cloudpods') {
    for (const p of cloudpodsEndpointProblems({ msgKey: f.msg_key, body: f.body, headers: f.headers })) problems.push(p);
  } else if (f.format !== undefined && Object.keys(f.body).length > 0) {
    problems.push({ path: '/body', message: `extra body keys are only sent by the cloudpods format, not ${f.format}` });
  }
  return problems;
}
