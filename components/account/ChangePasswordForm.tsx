'use client';
// Your own password: the current one, the new one twice. Other sessions of the account end.
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { inputClass, primaryButtonClass } from '@/components/common/styles';
import { ApiError, changePassword, describeFailure } from '@/components/api/client';
import { FailureMessage } from '@/components/common/FailureMessage';
import { useSession } from '@/components/layout/SessionProvider';
import { formText } from '@/components/common/form-text';

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
    const newPassword = formText(form, 'newPassword');
    if (newPassword !== form.get('repeatPassword')) return setOutcome({ kind: 'error', message: 'The new password and its repetition differ.' });
    setBusy(true);
    setOutcome(null);
    try {
      const { sessionsEnded } = await changePassword(session, { currentPassword: formText(form, 'currentPassword'), newPassword });
      formElement.reset();
      setOutcome({ kind: 'done', sessionsEnded });
    } catch (error) {
      return setOutcome({ kind: 'error', message: describePasswordFailure(error) });
    } finally {
      setBusy(false);
    }
    // The layout asks again whether the password is still a generated one (the banner goes).
    router.refresh();
  };

  return (
    <form onSubmit={(event) => void submit(event)} className="panel max-w-md space-y-3 p-4" aria-labelledby="change-password-title">
      <h2 id="change-password-title" className="font-semibold">
        Change your password
      </h2>
      <label className="block text-sm">
        Current password
        <input name="currentPassword" type="password" autoComplete="current-password" required className={`${inputClass} mt-1 block w-full`} />
      </label>
      <label className="block text-sm">
        New password <span className="text-xs text-slate-500">(at least 12 characters)</span>
        <NewPasswordInput name="newPassword" />
      </label>
      <label className="block text-sm">
        New password again
        <NewPasswordInput name="repeatPassword" />
      </label>
      <FailureMessage message={outcome?.kind === 'error' ? outcome.message : null} />
      {outcome?.kind === 'done' && (
        <p role="status" className="text-sm text-emerald-400 light:text-emerald-700">
          Password changed.{' '}
          {outcome.sessionsEnded === 0
            ? 'No other session was open.'
            : `${outcome.sessionsEnded} other ${outcome.sessionsEnded === 1 ? 'session was' : 'sessions were'} signed out.`}
        </p>
      )}
      <button type="submit" disabled={busy} className={primaryButtonClass}>
        {busy ? 'Changing…' : 'Change password'}
      </button>
    </form>
  );
}

/** A rule the new password breaks is said of the new password; anything else as the server said it. */
function describePasswordFailure(error: unknown): string {
  const field = error instanceof ApiError ? error.fields[0] : undefined;
  return field?.path === 'newPassword' ? `The new password ${field.message}.` : describeFailure(error);
}

/** A new password: the browser may offer to generate one; the server's rules (12 to 1,024 characters) checked before sending. */
function NewPasswordInput({ name }: { name: string }) {
  return (
    <input name={name} type="password" autoComplete="new-password" required minLength={12} maxLength={1024} className={`${inputClass} mt-1 block w-full`} />
  );
}
