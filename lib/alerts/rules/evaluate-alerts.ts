// What is alert-worthy in one snapshot, given what changed since the previous one. Pure: the
// ingest pipeline stores the candidates, opening a new alert or updating the open one per dedupeKey.
// More than a few of one kind become one summary alert (summarize-floods.ts).
import { evaluatePromiscuousAlerts } from '@/lib/alerts/rules/interface-alerts';
import { evaluateListenerAlerts } from '@/lib/alerts/rules/listener-alerts';
import { evaluatePackageAlerts } from '@/lib/alerts/rules/package-alerts';
import { evaluateNewBinaryAlerts } from '@/lib/alerts/rules/process-alerts';
import { summarizeFloods } from '@/lib/alerts/rules/summarize-floods';
import { evaluateTracerouteAlerts } from '@/lib/alerts/rules/traceroute-alerts';
import type { AlertCandidate, AlertRuleInput } from '@/lib/alerts/rules/types';

export type { AlertCandidate, AlertKind, AlertRuleInput, ExpectedListener, ExpectedPackage, PromiscuousRule } from '@/lib/alerts/rules/types';
export { defaultPromiscuousRules, matchesGlob } from '@/lib/alerts/rules/expected';
export { silentHostAlert } from '@/lib/alerts/rules/silent-host';
export { MAX_ALERTS_PER_KIND_PER_SNAPSHOT, readAlertSummary } from '@/lib/alerts/rules/alert-summary';

export function evaluateAlerts(input: AlertRuleInput): AlertCandidate[] {
  const candidates = [
    ...evaluateListenerAlerts(input),
    ...evaluatePromiscuousAlerts(input),
    ...evaluateNewBinaryAlerts(input),
    ...evaluateTracerouteAlerts(input),
    ...evaluatePackageAlerts(input),
  ];
  return summarizeFloods(input.hostName, keepFirstPerDedupeKey(candidates));
}

/** Workers sharing one listener yield one row each; the alert is about the listener, once. */
function keepFirstPerDedupeKey(candidates: readonly AlertCandidate[]): AlertCandidate[] {
  const seen = new Set<string>();
  return candidates.filter((candidate) => {
    if (seen.has(candidate.dedupeKey)) return false;
    seen.add(candidate.dedupeKey);
    return true;
  });
}
