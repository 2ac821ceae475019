import type { DiagnosticCode } from '../codes';

/** The parse stops after this many problems (a file of garbage would otherwise give thousands). */
export const MAX_PROBLEMS = 100;

export interface SyntaxProblem {
  code: DiagnosticCode;
  message: string;
  offset: number;
  length: number;
  /** JSON pointer of the value, key or container where the problem is. */
  path: string;
  /**
   * Never set: in the editor, VS Code's JSON language service owns syntax and its fixes
   * (docs/architecture.md, "Who reports what"), so syntax problems carry none.
   */
  fixes?: never;
}

export interface Located {
  offset: number;
  length: number;
  path: string;
}

/** Letters, digits, `_` and `$`: what sticks to a number or a keyword and makes one token of them. */
export function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36;
}

/** Words that are nearly JSON literals (True, NULL, undefined, …): safe and useful to quote in messages. */
const NEAR_KEYWORD = /^(true|false|null|none|nil|undefined|nan|infinity)$/i;

function isNearKeyword(word: string): boolean {
  const lower = word.toLowerCase();
  return (
    NEAR_KEYWORD.test(word) ||
    (word.length >= 2 && ['true', 'false', 'null'].some((k) => k.startsWith(lower)))
  );
}

/** What is at `offset`, for "Expected …, found …" messages. */
export function describe(text: string, offset: number): string {
  if (offset >= text.length) return 'the end of the file';
  const c = text.codePointAt(offset) ?? 0;
  if (c < 0x20 || c === 0x7f || c === 0xfffd || (c >= 0x80 && c < 0xa0)) {
    return `control character U+${c.toString(16).toUpperCase().padStart(4, '0')} (is this a binary file?)`;
  }
  const word = /^[A-Za-z_$][\w$]*/.exec(text.slice(offset, offset + 40));
  // Only near-keywords are quoted back: any other bare word may be a value someone forgot to
  // quote (a password, say), and messages end up in terminals and logs.
  if (word) return isNearKeyword(word[0]) ? `'${word[0]}'` : 'an unquoted word';
  return `"${String.fromCodePoint(c)}"`;
}

/** The end of the message for a value that is not one: what to write instead, when it looks like a word. */
export function valueHint(text: string, offset: number, found: string): string {
  if (text.charCodeAt(offset) === 39) return ' Strings must use double quotes.';
  return /^('[A-Za-z]|an unquoted word)/.test(found)
    ? ' Use true, false, null, a number, a "string", an object or an array.'
    : '';
}

/**
 * Length of the token at `offset`, for error ranges: a string (up to its line's end), a word, a number or
 * one character.
 */
export function tokenLength(text: string, offset: number): number {
  const n = text.length;
  if (offset >= n) return 0;
  const c = text.charCodeAt(offset);
  if (c === 34) {
    let p = offset + 1;
    while (p < n) {
      const d = text.charCodeAt(p);
      if (d === 92) p += 2;
      else if (d === 34) return p + 1 - offset;
      else if (d === 10 || d === 13) break;
      else p++;
    }
    return Math.min(p, n) - offset;
  }
  if (isWordChar(c) || c === 45) {
    let p = offset + 1;
    while (p < n && (isWordChar(text.charCodeAt(p)) || text.charCodeAt(p) === 46)) p++;
    return p - offset;
  }
  // A surrogate pair is one character; a lone high surrogate (maybe the last unit of the text) is one unit.
  return isPair(text, offset) ? 2 : 1;
}

/** A high surrogate at `pos` followed by a low one. */
function isPair(text: string, pos: number): boolean {
  if (pos + 1 >= text.length) return false;
  const c = text.charCodeAt(pos);
  const next = text.charCodeAt(pos + 1);
  return c >= 0xd800 && c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff;
}

export const BOM_MESSAGE =
  'The file starts with a byte order mark (BOM). Strict JSON has none; it is never sent. Save the file as UTF-8 without BOM.';
export const COMMENT_MESSAGE = 'Comments are not allowed: the file is sent to Clerk as strict JSON.';
export const TRAILING_COMMA_MESSAGE = 'Trailing commas are not allowed in JSON.';
export const TOO_MANY_MESSAGE = `More than ${MAX_PROBLEMS} syntax problems: checking stopped here.`;
