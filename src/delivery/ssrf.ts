/**
 * The SSRF guard: Herald sends requests to URLs its clients chose, so without it any client could make Herald
 * call the cloud metadata service, the database or an admin port on its own network.
 *
 * What must stay true:
 * - Only global unicast destinations are reached, unless HERALD_ALLOW_PRIVATE_NETWORKS opens a range.
 * - A host name is resolved once, every address it resolves to is checked, and the socket connects to a checked
 *   address, so a DNS answer that changes between check and connect (rebinding) cannot slip through.
 * - Literal IP hosts never reach a lookup function (Node connects to them directly), so the sender must call
 *   `urlProblem` before every send, not only when the endpoint is created.
 */
import dns from 'node:dns';
import type { LookupFunction } from 'node:net';

import ipaddr from 'ipaddr.js';
import { Agent } from 'undici';

type Address = ipaddr.IPv4 | ipaddr.IPv6;
type Cidr = [Address, number];

const ALLOW_VARIABLE = 'HERALD_ALLOW_PRIVATE_NETWORKS';

/** `none`: guard fully on. `all`: guard off. `cidrs`: these ranges are reachable despite the guard. */
export type AllowPrivate =
  | { readonly mode: 'none' }
  | { readonly mode: 'all' }
  | { readonly mode: 'cidrs'; readonly ranges: readonly Cidr[] };

export function parseAllowPrivate(value: string | undefined): AllowPrivate {
  const text = value?.trim() ?? '';
  if (text === '' || text.toLowerCase() === 'false') return { mode: 'none' };
  if (text.toLowerCase() === 'true') return { mode: 'all' };
  const ranges = text.split(',').map((entry) => {
    const cidr = parseCidr(entry.trim());
    if (!cidr) {
      const expected = 'expected true, false or comma-separated CIDRs such as 127.0.0.0/8,::1/128';
      throw new Error(`${ALLOW_VARIABLE}: "${entry.trim()}" is not a CIDR (${expected})`);
    }
    return cidr;
  });
  return { mode: 'cidrs', ranges };
}

/** A bare address counts as a range of one, which is what an operator opening a single host means. */
function parseCidr(entry: string): Cidr | null {
  const slash = entry.indexOf('/');
  const host = slash === -1 ? entry : entry.slice(0, slash);
  const bitsText = slash === -1 ? null : entry.slice(slash + 1);
  // Four-part decimal only: `10/8` or `0x0a.0/8` in a config file is more likely a typo than intent.
  let address: Address;
  if (ipaddr.IPv4.isValidFourPartDecimal(host)) address = ipaddr.IPv4.parse(host);
  else if (ipaddr.IPv6.isValid(host) && !host.includes('%')) address = ipaddr.IPv6.parse(host);
  else return null;
  const maxBits = address.kind() === 'ipv4' ? 32 : 128;
  if (bitsText === null) return [address, maxBits];
  if (!/^\d{1,3}$/.test(bitsText)) return null;
  const bits = Number(bitsText);
  return bits <= maxBits ? [address, bits] : null;
}

const RANGE_NAMES: Record<string, string> = {
  unspecified: 'an unspecified',
  broadcast: 'a broadcast',
  multicast: 'a multicast',
  linkLocal: 'a link-local',
  loopback: 'a loopback',
  carrierGradeNat: 'a carrier-grade NAT',
  private: 'a private',
  reserved: 'a reserved',
  uniqueLocal: 'a unique-local',
  deprecatedSiteLocal: 'a site-local',
  rfc6145: 'an IPv4-translated',
  rfc6052: 'a NAT64',
  '6to4': 'a 6to4',
  teredo: 'a Teredo',
  benchmarking: 'a benchmarking',
  discard: 'a discard-only',
};

// The only IPv6 block IANA allocates for global unicast; ipaddr.js calls everything it has no name for
// "unicast", which would let IPv4-compatible forms such as ::7f00:1 through.
const GLOBAL_UNICAST_V6: Cidr = [ipaddr.IPv6.parse('2000::'), 3];
// Well-known NAT64 prefix: the gateway connects to the embedded IPv4 address, so that address is the destination.
const NAT64_WELL_KNOWN: Cidr = [ipaddr.IPv6.parse('64:ff9b::'), 96];

/** Null when Herald may connect to `ip`; otherwise why not, naming the address. */
export function addressProblem(ip: string, allow: AllowPrivate): string | null {
  const bare = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
  if (!ipaddr.isValid(bare)) return `${ip} is not an IP address`;
  if (allow.mode === 'all') return null;
  const address = ipaddr.parse(bare);
  const embedded = embeddedIPv4(address);
  if (allow.mode === 'cidrs' && (inAny(address, allow.ranges) || (embedded && inAny(embedded, allow.ranges)))) {
    return null;
  }
  if (embedded) {
    const kind = forbiddenKind(embedded);
    return kind === null ? null : `${bare} embeds ${embedded.toString()}, ${kind}`;
  }
  const kind = forbiddenKind(address);
  return kind === null ? null : `${bare} is ${kind}`;
}

/** Null for a global unicast address, else what kind of address it is ("a loopback address"). */
function forbiddenKind(address: Address): string | null {
  const range = address.range();
  if (range !== 'unicast') return `${RANGE_NAMES[range] ?? `a special-purpose (${range})`} address`;
  if (address.kind() === 'ipv6' && !address.match(GLOBAL_UNICAST_V6)) return 'not a global unicast address';
  return null;
}

/** IPv4-mapped and well-known NAT64 addresses reach the IPv4 host they embed, so that host is judged instead. */
function embeddedIPv4(address: Address): ipaddr.IPv4 | null {
  if (!(address instanceof ipaddr.IPv6)) return null;
  if (address.isIPv4MappedAddress()) return address.toIPv4Address();
  if (address.match(NAT64_WELL_KNOWN)) {
    return new ipaddr.IPv4(address.toByteArray().slice(12));
  }
  return null;
}

function inAny(address: Address, ranges: readonly Cidr[]): boolean {
  return ranges.some(([network, bits]) => network.kind() === address.kind() && address.match(network, bits));
}

/**
 * Checks a destination URL without resolving anything: scheme, host, credentials, and the address when the host
 * is a literal IP. WHATWG parsing has already turned `2130706433`, `0x7f.1`, `127.1` and `0177.0.0.1` into
 * dotted decimal, so only `hostname` needs judging.
 */
export function urlProblem(url: string, allow: AllowPrivate): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'not a valid URL';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return `scheme ${parsed.protocol.slice(0, -1)} is not allowed (only http and https)`;
  }
  if (parsed.hostname === '') return 'the URL has no host';
  // Credentials in a URL end up in logs and attempt snapshots; endpoints carry them in `auth` instead.
  if (parsed.username !== '' || parsed.password !== '') return 'the URL must not contain credentials';
  const host = parsed.hostname.startsWith('[') ? parsed.hostname.slice(1, -1) : parsed.hostname;
  if (!ipaddr.isValid(host)) return null;
  const problem = addressProblem(host, allow);
  return problem === null ? null : refusal(problem, null, allow);
}

/**
 * The guard's refusal in words an operator can act on: the address, the name it came from, and the setting that
 * would open it (a refusal is policy, not an outage: no retry changes it).
 */
export function refusal(problem: string, resolvedFrom: string | null, allow: AllowPrivate): string {
  const from = resolvedFrom === null ? '' : ` (resolved from ${resolvedFrom})`;
  const hint =
    allow.mode === 'cidrs'
      ? `it is outside the ranges ${ALLOW_VARIABLE} opens`
      : `set ${ALLOW_VARIABLE} to true or to CIDRs such as 127.0.0.0/8 to allow it`;
  return `destination not allowed: ${problem}${from}; ${hint}`;
}

/** Answers of a lookup as `dns.promises.lookup` gives them with `all: true`. */
export type LookupAll = (hostname: string, options: { all: true }) => Promise<Array<{ address: string; family: number }>>;

export interface ResolveOptions {
  /** Past this the name is not judged now: a slow resolver must not hold up (or block) a configuration change. */
  timeoutMs?: number;
  lookup?: LookupAll;
}

/**
 * The send-time verdict, given early: resolves the URL's host name and answers the refusal when any address it
 * resolves to is one the guard would refuse. Null when every address is allowed, and also when the name does not
 * resolve, or not in time: the name may not exist yet, or not in this process's view of DNS, and the guard judges
 * it again at every send.
 */
export async function resolvedUrlProblem(url: string, allow: AllowPrivate, { timeoutMs = 2000, lookup = dns.promises.lookup as LookupAll }: ResolveOptions = {}): Promise<string | null> {
  if (allow.mode === 'all' || urlProblem(url, allow) !== null) return null;
  const hostname = new URL(url).hostname;
  if (ipaddr.isValid(hostname.startsWith('[') ? hostname.slice(1, -1) : hostname)) return null;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), timeoutMs);
  });
  try {
    const addresses = await Promise.race([lookup(hostname, { all: true }).catch(() => null), late]);
    for (const { address } of addresses ?? []) {
      const problem = addressProblem(address, allow);
      if (problem !== null) return refusal(problem, hostname, allow);
    }
    return null;
  } finally {
    clearTimeout(timer);
  }
}

type LookupCallback = Parameters<LookupFunction>[2];

/**
 * A `lookup` for `net.connect` / undici's `connect` options that refuses forbidden destinations. It resolves once
 * and hands Node only the addresses it checked, so Node never resolves again behind the guard's back.
 */
export function guardedLookup(allow: AllowPrivate): LookupFunction {
  return function lookup(hostname, options, callback: LookupCallback) {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) {
        callback(error, '');
        return;
      }
      if (addresses.length === 0) {
        callback(Object.assign(new Error(`no address found for ${hostname}`), { code: 'ENOTFOUND' }), '');
        return;
      }
      // Any forbidden answer refuses the host: a mix of public and private answers is how rebinding hides.
      for (const { address } of addresses) {
        const problem = addressProblem(address, allow);
        if (problem !== null) {
          callback(Object.assign(new Error(refusal(problem, hostname, allow)), { code: 'EDESTINATION' }), '');
          return;
        }
      }
      if (options.all) {
        callback(null, addresses);
        return;
      }
      const first = addresses[0]!;
      callback(null, first.address, first.family);
    });
  };
}

export interface GuardedAgentOptions {
  allow: AllowPrivate;
  connectTimeoutMs: number;
  keepAliveTimeoutMs?: number;
  /** Sockets per origin; unset means undici's default (no limit). */
  connections?: number;
}

/** The undici Agent every outgoing delivery and validation call goes through. */
export function createGuardedAgent({
  allow,
  connectTimeoutMs,
  keepAliveTimeoutMs,
  connections,
}: GuardedAgentOptions): Agent {
  return new Agent({
    connect: { lookup: guardedLookup(allow), timeout: connectTimeoutMs },
    ...(keepAliveTimeoutMs === undefined ? {} : { keepAliveTimeout: keepAliveTimeoutMs }),
    ...(connections === undefined ? {} : { connections }),
  });
}
