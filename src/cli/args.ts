import { readFileSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import type { Client } from './client.js';
import type { Output } from './output.js';
import { parseDurationMs } from '../util/duration.js';
import { parseExactChecked } from './exact-json.js';

/** What every command group needs: the API client (made lazily, so `--help` never reads a token) and the output. */
export interface CliDeps {
  client(): Client;
  output(cmd: Command): Output;
}

/** For repeatable flags: `--entity a --entity b`. */
export const collect = (value: string, previous: string[] = []) => [...previous, value];

export function parseBool(value: string): boolean {
  if (/^(true|yes|on|1)$/i.test(value)) return true;
  if (/^(false|no|off|0)$/i.test(value)) return false;
  throw new InvalidArgumentError('expected true or false');
}

export function parseIntArg(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a whole number');
  return Number(value);
}

/** A JSON object flag; `@file.json` reads it from a file, as curl does. */
export function parseJsonObject(value: string): Record<string, unknown> {
  const text = readArgText(value);
  let parsed: unknown;
  try {
    // Exact: `--data '{"id": 12345678901234567891}'` reaches Herald as written.
    parsed = parseExactChecked(text);
  } catch (e) {
    throw new InvalidArgumentError(`not valid JSON (${(e as Error).message})`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new InvalidArgumentError('expected a JSON object');
  return parsed as Record<string, unknown>;
}

/** Template text and JSON may be long: `@path` reads the value from a file. */
export function readArgText(value: string): string {
  if (!value.startsWith('@')) return value;
  try {
    return readFileSync(value.slice(1), 'utf8');
  } catch (e) {
    throw new InvalidArgumentError(`cannot read ${value.slice(1)}: ${(e as Error).message}`);
  }
}

/** `Name: value` (as curl writes headers), repeatable. */
export function collectHeader(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const i = value.indexOf(':');
  if (i <= 0) throw new InvalidArgumentError('expected "Name: value"');
  return { ...previous, [value.slice(0, i).trim()]: value.slice(i + 1).trim() };
}

/**
 * `--since` takes an ISO-8601 time or an age such as `30m` or `2d` ("that long ago"): at 3 a.m. nobody wants to type
 * today's date. The API gets an ISO time either way.
 */
export function parseSince(value: string, now = Date.now()): string {
  const ago = parseDurationMs(value);
  if (ago !== null) return new Date(now - ago).toISOString();
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new InvalidArgumentError('expected an ISO-8601 time (2026-01-31T12:00:00Z) or an age (30m, 2h, 7d)');
  return new Date(ms).toISOString();
}

/** "3m ago", "in 5m": the one relative form tables use, rounded down to the largest whole unit. */
export function ago(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '-';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const s = Math.floor(Math.abs(now - ms) / 1000);
  const span = s < 60 ? `${s}s` : s < 3600 ? `${Math.floor(s / 60)}m` : s < 86400 ? `${Math.floor(s / 3600)}h` : `${Math.floor(s / 86400)}d`;
  return ms > now ? `in ${span}` : `${span} ago`;
}

/** Detail views give the exact time and how long ago: `2026-01-31T12:00:00.000Z (3m ago)`. */
export function when(iso: string | null | undefined, now = Date.now()): string | null {
  if (!iso) return null;
  return `${iso} (${ago(iso, now)})`;
}

/** Adds an "Examples:" section to a command's --help, as gh and kubectl do. */
export function examples<C extends Command>(cmd: C, ...lines: string[]): C {
  cmd.addHelpText('after', `\nExamples:\n${lines.map((l) => `  ${l}`).join('\n')}\n`);
  return cmd;
}
