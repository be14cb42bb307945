// What is alert-worthy in one snapshot, given what changed since the previous one. Pure: the
// ingest pipeline stores the candidates, opening a new alert or updating the open one per dedupeKey.
// More than a few of one kind become one summary alert (summarize-floods.ts).
import { evaluatePromiscuousAlerts } from '@/lib/alerts/interface-alerts';
import { evaluateListenerAlerts } from '@/lib/alerts/listener-alerts';
import { evaluatePackageAlerts } from '@/lib/alerts/package-alerts';
import { evaluateNewBinaryAlerts } from '@/lib/alerts/process-alerts';
import { summarizeFloods } from '@/lib/alerts/summarize-floods';
import { evaluateTracerouteAlerts } from '@/lib/alerts/traceroute-alerts';
import type { AlertCandidate, AlertRuleInput } from '@/lib/alerts/types';

export type { AlertCandidate, AlertKind, AlertRuleInput, Baseline, ExpectedPackage, PromiscuousRule } from '@/lib/alerts/types';
export { alertLevels } from '@/lib/alerts/types';
export { defaultPromiscuousRules, isExpectedPromiscuous, matchesGlob } from '@/lib/alerts/promiscuous-rules';
export { isBaselinedListener, matchesBaseline } from '@/lib/alerts/baselines';
export { silentHostAlert } from '@/lib/alerts/silent-host';
export { MAX_ALERTS_PER_KIND_PER_SNAPSHOT, readAlertSummary, type AlertSummarySubject } from '@/lib/alerts/alert-summary';

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
