import { createScanner, type JSONScanner } from 'jsonc-parser';
import { walkString, type StringWalk } from './strings';

/** jsonc-parser's SyntaxKind (a const enum there, so spelled out here). */
export const enum Token {
  OpenBrace = 1,
  CloseBrace = 2,
  OpenBracket = 3,
  CloseBracket = 4,
  Comma = 5,
  Colon = 6,
  Null = 7,
  True = 8,
  False = 9,
  String = 10,
  Number = 11,
  LineComment = 12,
  BlockComment = 13,
  LineBreak = 14,
  Trivia = 15,
  Unknown = 16,
  EOF = 17,
}

/**
 * The tokens of a JSON text, one at a time. jsonc-parser's scanner reads comments and whatever is not
 * JSON, and decodes strings with invalid escapes. The tokens of well-formed JSON are read here: the
 * scanner is too slow at them for the speed goals (docs/performance.md). It builds whitespace into a
 * string a character at a time, a call to it costs more than a comma, it decodes each escape into a
 * new string (over 100 ms for a string of 300,000 of them), it allocates every number and literal as
 * a string, and every character of a string has to be looked at again anyway for what it does not
 * check (unpaired surrogates, UTF-8 size).
 */
export abstract class Lexer {
  private scannerOrUndefined: JSONScanner | undefined;
  /** The current token: where it starts and ends. */
  protected at = 0;
  protected end: number;
  /** Characters of whitespace and comments read so far. */
  protected ws = 0;
  /** What the current token holds, when it is a string (read up to its first problem, if any). */
  protected readonly walk: StringWalk = { end: 0, terminated: false, clean: true, escapes: false, extra: 0 };

  constructor(
    protected readonly text: string,
    start: number,
  ) {
    this.end = start;
  }

  /** jsonc-parser's scanner, made when first needed: most texts have no token for it. */
  protected get scanner(): JSONScanner {
    return (this.scannerOrUndefined ??= createScanner(this.text, false));
  }

  /** Called for each comment, which is skipped. */
  protected abstract comment(offset: number, end: number): void;
  /** Called for a slash that starts no comment. */
  protected abstract slash(offset: number): never;

  /**
   * The next token that is not whitespace or a comment, from this.end on; this.at and this.end say where it
   * is.
   */
  protected next(): Token {
    const text = this.text;
    const n = text.length;
    for (;;) {
      let pos = this.end;
      let c = pos < n ? text.charCodeAt(pos) : -1;
      if (c === 32 || c === 10 || c === 13 || c === 9) {
        const from = pos;
        do c = ++pos < n ? text.charCodeAt(pos) : -1;
        while (c === 32 || c === 10 || c === 13 || c === 9);
        this.ws += pos - from;
      }
      this.at = pos;
      if (c < 0) {
        this.end = n;
        return Token.EOF;
      }
      this.end = pos + 1;
      switch (c) {
        case 123:
          return Token.OpenBrace;
        case 125:
          return Token.CloseBrace;
        case 91:
          return Token.OpenBracket;
        case 93:
          return Token.CloseBracket;
        case 58:
          return Token.Colon;
        case 44:
          return Token.Comma;
        case 34:
          walkString(text, pos + 1, undefined, this.walk);
          this.end = this.walk.end;
          return Token.String;
        case 45:
        case 48:
        case 49:
        case 50:
        case 51:
        case 52:
        case 53:
        case 54:
        case 55:
        case 56:
        case 57:
          // Read by the parser (readNumber), which reports it whole when it is not a JSON number.
          return Token.Number;
        case 116:
          if (this.word('true', pos)) return Token.True;
          break;
        case 102:
          if (this.word('false', pos)) return Token.False;
          break;
        case 110:
          if (this.word('null', pos)) return Token.Null;
          break;
      }
      // A comment, or what is not JSON.
      const scanner = this.scanner;
      scanner.setPosition(pos);
      const token = scanner.scan() as number as Token;
      this.end = scanner.getPosition();
      if (token !== Token.LineComment && token !== Token.BlockComment) {
        if (c === 47) this.slash(pos);
        return token;
      }
      // An unterminated comment ends at the end of the text.
      const end = Math.min(this.end, n);
      this.end = end;
      this.ws += end - pos;
      this.comment(pos, end);
    }
  }

  /**
   * Whether `word` is at `pos` as a token of its own (as the scanner reads one: up to a delimiter), and then
   * reads it.
   */
  private word(word: string, pos: number): boolean {
    const text = this.text;
    const end = pos + word.length;
    if (!text.startsWith(word, pos) || (end < text.length && !isDelimiter(text.charCodeAt(end))))
      return false;
    this.end = end;
    return true;
  }
}

/** Whitespace, a line break, `{ } [ ] " : ,` or `/`: what ends a word for the scanner. */
function isDelimiter(c: number): boolean {
  return (
    c === 32 ||
    c === 9 ||
    c === 10 ||
    c === 13 ||
    c === 123 ||
    c === 125 ||
    c === 91 ||
    c === 93 ||
    c === 34 ||
    c === 58 ||
    c === 44 ||
    c === 47
  );
}
