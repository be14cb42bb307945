// The one error every parser throws for input it cannot read; the CLI prints `FILE:LINE: reason`.

export class ParseError extends Error {
  /** @param line 1-based line of the input that could not be read. */
  constructor(
    public line: number,
    public reason: string,
  ) {
    super(`line ${line}: ${reason}`);
    this.name = 'ParseError';
  }
}

/** Input echoed inside a reason: shortened, and with control characters escaped so a terminal shows them inertly. */
export function quote(text: string, maxLength = 40): string {
  const clipped = text.length > maxLength ? `${text.slice(0, maxLength)}…` : text;
  const escaped = clipped.replace(/[\p{Cc}"\\]/gu, (char) =>
    char === '"' || char === '\\' ? `\\${char}` : `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return `"${escaped}"`;
}
