// Interfaces that are promiscuous by design: bridges and container plumbing put their ports into
// promiscuous mode, and alerting on them would train analysts to ignore the real sniffer alert.
import type { PromiscuousRule } from '@/lib/alerts/types';

export const defaultPromiscuousRules: readonly PromiscuousRule[] = [
  { pattern: 'veth*', expected: true },
  { pattern: 'docker*', expected: true },
  { pattern: 'br-*', expected: true },
  { pattern: 'virbr*', expected: true },
  { pattern: 'cni*', expected: true },
  { pattern: 'flannel*', expected: true },
];

export function isExpectedPromiscuous(interfaceName: string, rules: readonly PromiscuousRule[]): boolean {
  return rules.some((rule) => rule.expected && matchesGlob(rule.pattern, interfaceName));
}

/** Shell-style: `*` any run of characters, `?` one character, everything else literal. */
export function matchesGlob(pattern: string, name: string): boolean {
  const source = [...pattern]
    .map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, 'u').test(name);
}
