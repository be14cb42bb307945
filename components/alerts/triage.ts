// Triage from the dashboard: acknowledge, reopen, annotate one alert (analysts and admins).
import { triageAlert as postTriage, type AlertView } from '@/components/api/client';
import type { ClientSession } from '@/components/layout/SessionProvider';

export type TriageAction = 'acknowledge' | 'reopen' | 'annotate' | 'close';

export const canTriage = (session: ClientSession) => session.role === 'analyst' || session.role === 'admin';

export function triageAlert(session: ClientSession, alertId: number, action: TriageAction, note?: string): Promise<AlertView> {
  return postTriage(session, alertId, note === undefined ? { action } : { action, note });
}
