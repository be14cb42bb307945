'use client';
// Triage from the dashboard (analysts and admins): one action at a time per alert, its failure
// kept beside the alert until the next try.
import { useState } from 'react';
import { describeFailure, triageAlert, triageAlerts, type AlertView, type TriageInput } from '@/components/api/client';
import type { ClientSession } from '@/components/layout/SessionProvider';
import { MAX_ALERTS_PER_TRIAGE } from '@/lib/alerts/triage-limits';

type TriageAction = TriageInput['action'];

export const canTriage = (session: ClientSession) => session.role === 'analyst' || session.role === 'admin';

export interface Triage {
  busyId: number | null;
  failures: ReadonlyMap<number, string>;
  /** True when the server took the action. */
  act: (alert: AlertView, action: TriageAction, note?: string) => Promise<boolean>;
  /** One action on several alerts (a group), in as few requests as the API allows; a failure is kept beside the first. */
  actOnAll: (alerts: readonly AlertView[], action: TriageAction) => Promise<boolean>;
}

export function useTriage(session: ClientSession, onTriaged: (alert: AlertView) => void): Triage {
  const [busyId, setBusyId] = useState<number | null>(null);
  const [failures, setFailures] = useState<ReadonlyMap<number, string>>(new Map());

  /** Runs one triage request, its progress and failure shown beside the alert `alertId`. */
  const run = async (alertId: number, request: () => Promise<void>) => {
    setBusyId(alertId);
    setFailures((current) => {
      const next = new Map(current);
      next.delete(alertId);
      return next;
    });
    try {
      await request();
      return true;
    } catch (error) {
      setFailures((current) => new Map(current).set(alertId, describeFailure(error)));
      return false;
    } finally {
      setBusyId(null);
    }
  };
  const act = (alert: AlertView, action: TriageAction, note?: string) =>
    run(alert.id, async () => onTriaged(await triageAlert(session, alert.id, note === undefined ? { action } : { action, note })));
  const actOnAll = async (group: readonly AlertView[], action: TriageAction) => {
    const first = group[0];
    if (!first) return true;
    return run(first.id, async () => {
      for (let start = 0; start < group.length; start += MAX_ALERTS_PER_TRIAGE) {
        const ids = group.slice(start, start + MAX_ALERTS_PER_TRIAGE).map((alert) => alert.id);
        for (const updated of await triageAlerts(session, ids, { action })) onTriaged(updated);
      }
    });
  };
  return { busyId, failures, act, actOnAll };
}
