/**
 * Slices of JSON text, for carrying a publisher's values through unchanged: a value's text is never parsed
 * into JavaScript numbers and written back, so integers of any size, number spellings, key order and string
 * escapes reach receivers as published. Every function here expects text that JSON.parse has already accepted.
 */

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

/** Index just past the string literal opening at `i`. */
function stringEnd(text: string, i: number): number {
  for (let j = i + 1; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 92) j++;
    else if (c === 34) return j + 1;
  }
  return text.length;
}

/** Index just past the value starting at `i` (no leading space). */
function valueEnd(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === 34) return stringEnd(text, i);
  if (c !== 123 && c !== 91) {
    let j = i;
    while (j < text.length) {
      const d = text.charCodeAt(j);
      if (d === 44 || d === 93 || d === 125 || isSpace(d)) break;
      j++;
    }
    return j;
  }
  let depth = 0;
  for (let j = i; j < text.length; j++) {
    const d = text.charCodeAt(j);
    if (d === 34) j = stringEnd(text, j) - 1;
    else if (d === 123 || d === 91) depth++;
    else if (d === 125 || d === 93) {
      if (--depth === 0) return j + 1;
    }
  }
  return text.length;
}

/**
 * The text with the whitespace between tokens removed; strings, numbers and order are left as they are. The
 * result is its own copy: a slice of a request body would otherwise keep the whole body alive for as long as the
 * value is held (a message cache entry of 200 KiB holding a 10 MiB batch).
 */
export function compactJson(text: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) i = stringEnd(text, i) - 1;
    else if (isSpace(c)) {
      out += text.slice(from, i);
      from = i + 1;
    }
  }
  return detached(from === 0 ? text : out + text.slice(from));
}

/**
 * A copy of `text` that refers to no other string. V8 cuts substrings as views of their parent and joins strings
 * as pairs of references; a slice of a fresh concatenation makes the engine copy the characters into one new
 * string first, so the result holds only itself. Code units are copied as they are, lone surrogates included.
 */
export function detached(text: string): string {
  return (' ' + text).slice(1);
}

export interface RawMember {
  /** The key as JavaScript reads it. */
  key: string;
  /** The key's string literal as written. */
  keyText: string;
  /** The value as written. */
  valueText: string;
}

/** The members of the object written in `text`, in the order written (a repeated key appears each time). */
export function objectMembers(text: string): RawMember[] {
  const members: RawMember[] = [];
  let i = skipSpace(text, 0);
  if (text.charCodeAt(i) !== 123) throw new TypeError('not a JSON object');
  i = skipSpace(text, i + 1);
  while (i < text.length && text.charCodeAt(i) !== 125) {
    const keyEnd = stringEnd(text, i);
    const keyText = text.slice(i, keyEnd);
    i = skipSpace(text, keyEnd);
    i = skipSpace(text, i + 1); // the colon
    const end = valueEnd(text, i);
    members.push({ key: JSON.parse(keyText) as string, keyText, valueText: text.slice(i, end) });
    i = skipSpace(text, end);
    if (text.charCodeAt(i) === 44) i = skipSpace(text, i + 1);
  }
  return members;
}

/** The elements of the array written in `text`, as written. */
export function arrayElements(text: string): string[] {
  const items: string[] = [];
  let i = skipSpace(text, 0);
  if (text.charCodeAt(i) !== 91) throw new TypeError('not a JSON array');
  i = skipSpace(text, i + 1);
  while (i < text.length && text.charCodeAt(i) !== 93) {
    const end = valueEnd(text, i);
    items.push(text.slice(i, end));
    i = skipSpace(text, end);
    if (text.charCodeAt(i) === 44) i = skipSpace(text, i + 1);
  }
  return items;
}

/** The last member named `key` (JSON.parse keeps the last of repeated keys, so this is the one validated). */
export function memberText(members: RawMember[], key: string): string | undefined {
  for (let i = members.length - 1; i >= 0; i--) if (members[i]!.key === key) return members[i]!.valueText;
  return undefined;
}
