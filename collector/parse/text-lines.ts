// Splitting tool output into lines and words, keeping where each word starts so a parser can take
// "the rest of the line" (a command with spaces) exactly as the tool printed it.

export interface Word {
  text: string;
  start: number;
}

/** Lines without their terminators; a final newline does not make an extra empty line. */
export function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
}

export function isBlank(line: string): boolean {
  return line.trim() === '';
}

export function splitWords(line: string): string[] {
  const trimmed = line.trim();
  return trimmed === '' ? [] : trimmed.split(/\s+/);
}

export function splitWordsWithOffsets(line: string): Word[] {
  return Array.from(line.matchAll(/\S+/g), (match) => ({ text: match[0], start: match.index }));
}

/** The line from `word` to its end, trailing padding removed. */
export function restOfLine(line: string, word: Word): string {
  return line.slice(word.start).trimEnd();
}

export function isIndented(line: string): boolean {
  return line.startsWith(' ') || line.startsWith('\t');
}
