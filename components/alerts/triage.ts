// Triage from the dashboard: acknowledge, reopen, annotate one alert (analysts and admins).
import { sendJson, type ClientSession } from '@/components/layout/SessionProvider';
import type { AlertView } from '@/lib/alerts/list-alerts';

export type TriageAction = 'acknowledge' | 'reopen' | 'annotate' | 'close';

export const canTriage = (session: ClientSession) => session.role === 'analyst' || session.role === 'admin';

export async function triageAlert(session: ClientSession, alertId: number, action: TriageAction, note?: string): Promise<AlertView> {
  const response = await sendJson(session, `/api/v1/alerts/${alertId}`, 'POST', note === undefined ? { action } : { action, note });
  const body = (await response.json().catch(() => null)) as { alert?: AlertView; error?: { message?: string } } | null;
  if (!response.ok || !body?.alert) throw new Error(body?.error?.message ?? `The server answered ${response.status}.`);
  return body.alert;
}
