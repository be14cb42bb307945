// User text inside LIKE / ILIKE: `%`, `_` and `\` are literal, not wildcards.
export function escapeLikePattern(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}
