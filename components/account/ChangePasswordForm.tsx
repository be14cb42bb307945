'use client';
// Your own password: the current one, the new one twice. Other sessions of the account end.
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { inputClass, primaryButtonClass } from '@/components/common/styles';
import { sendJson, useSession } from '@/components/layout/SessionProvider';

type Outcome = { kind: 'error'; message: string } | { kind: 'done'; sessionsEnded: number } | null;

export function ChangePasswordForm() {
  const session = useSession();
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const newPassword = String(form.get('newPassword') ?? '');
    if (newPassword !== form.get('repeatPassword')) return setOutcome({ kind: 'error', message: 'The new password and its repetition differ.' });
    setBusy(true);
    setOutcome(null);
    const response = await sendJson(session, '/api/v1/account/password', 'POST', { currentPassword: String(form.get('currentPassword') ?? ''), newPassword });
    setBusy(false);
    const body = (await response.json().catch(() => null)) as { sessionsEnded?: number; error?: { message?: string; fields?: { path: string; message: string }[] } } | null;
    if (!response.ok) {
      const field = body?.error?.fields?.[0];
      return setOutcome({ kind: 'error', message: field?.path === 'newPassword' ? `The new password ${field.message}.` : (body?.error?.message ?? 'The password was not changed.') });
    }
    formElement.reset();
    setOutcome({ kind: 'done', sessionsEnded: body?.sessionsEnded ?? 0 });
    // The layout asks again whether the password is still a generated one (the banner goes).
    router.refresh();
  };

  return (
    <form onSubmit={submit} className="panel max-w-md space-y-3 p-4" aria-labelledby="change-password-title">
      <h2 id="change-password-title" className="font-semibold">
        Change your password
      </h2>
      <label className="block text-sm">
        Current password
        <input name="currentPassword" type="password" autoComplete="current-password" required className={`${inputClass} mt-1 block w-full`} />
      </label>
      <label className="block text-sm">
        New password <span className="text-xs text-slate-500">(at least 12 characters)</span>
        <input name="newPassword" type="password" autoComplete="new-password" required minLength={12} maxLength={1024} className={`${inputClass} mt-1 block w-full`} />
      </label>
      <label className="block text-sm">
        New password again
        <input name="repeatPassword" type="password" autoComplete="new-password" required minLength={12} maxLength={1024} className={`${inputClass} mt-1 block w-full`} />
      </label>
      {outcome?.kind === 'error' && (
        <p role="alert" className="text-sm text-red-400">
          {outcome.message}
        </p>
      )}
      {outcome?.kind === 'done' && (
        <p role="status" className="text-sm text-emerald-400 light:text-emerald-700">
          Password changed.{' '}
          {outcome.sessionsEnded === 0 ? 'No other session was open.' : `${outcome.sessionsEnded} other ${outcome.sessionsEnded === 1 ? 'session was' : 'sessions were'} signed out.`}
        </p>
      )}
      <button type="submit" disabled={busy} className={primaryButtonClass}>
        {busy ? 'Changing…' : 'Change password'}
      </button>
    </form>
  );
}
