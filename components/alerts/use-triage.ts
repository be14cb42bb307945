'use client';
// Triage from the dashboard (analysts and admins): one action at a time per alert, its failure
// kept beside the alert until the next try.
import { useState } from 'react';
import { describeFailure, triageAlert, type AlertView, type TriageInput } from '@/components/api/client';
import type { ClientSession } from '@/components/layout/SessionProvider';

type TriageAction = TriageInput['action'];

export const canTriage = (session: ClientSession) => session.role === 'analyst' || session.role === 'admin';

export interface Triage {
  busyId: number | null;
  failures: ReadonlyMap<number, string>;
  /** True when the server took the action. */
  act: (alert: AlertView, action: TriageAction, note?: string) => Promise<boolean>;
}

export function useTriage(session: ClientSession, onTriaged: (alert: AlertView) => void): Triage {
  const [busyId, setBusyId] = useState<number | null>(null);
  const [failures, setFailures] = useState<ReadonlyMap<number, string>>(new Map());

  const act = async (alert: AlertView, action: TriageAction, note?: string) => {
    setBusyId(alert.id);
    setFailures((current) => {
      const next = new Map(current);
      next.delete(alert.id);
      return next;
    });
    try {
      onTriaged(await triageAlert(session, alert.id, note === undefined ? { action } : { action, note }));
      return true;
    } catch (error) {
      setFailures((current) => new Map(current).set(alert.id, describeFailure(error)));
      return false;
    } finally {
      setBusyId(null);
    }
  };
  return { busyId, failures, act };
}
