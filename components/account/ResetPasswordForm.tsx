'use client';
// Admins only: another account gets a generated password, shown here once; its sessions end.
import { useState, type FormEvent } from 'react';
import { buttonClass, inputClass } from '@/components/common/styles';
import { describeFailure, resetPassword } from '@/components/api/client';
import { FailureMessage } from '@/components/common/FailureMessage';
import { useSession } from '@/components/layout/SessionProvider';
import { formText } from '@/components/common/form-text';

type Outcome = { kind: 'error'; message: string } | { kind: 'done'; name: string; password: string } | null;

export function ResetPasswordForm() {
  const session = useSession();
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const name = formText(new FormData(event.currentTarget), 'name').trim();
    if (!window.confirm(`Give ${name} a new generated password and sign them out everywhere?`)) return;
    setBusy(true);
    setOutcome(null);
    try {
      const { password } = await resetPassword(session, name);
      setOutcome({ kind: 'done', name, password });
    } catch (error) {
      setOutcome({ kind: 'error', message: describeFailure(error) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(event) => void submit(event)} className="panel max-w-md space-y-3 p-4" aria-labelledby="reset-password-title">
      <h2 id="reset-password-title" className="font-semibold">
        Reset another account&apos;s password
      </h2>
      <p className="text-sm text-slate-400 light:text-slate-600">
        For an analyst who forgot theirs. They are signed out everywhere and asked to choose their own once they sign in.
      </p>
      <label className="block text-sm">
        Account name
        <input name="name" required maxLength={64} pattern="[A-Za-z0-9._@\-]+" autoComplete="off" className={`${inputClass} mt-1 block w-full`} />
      </label>
      <FailureMessage message={outcome?.kind === 'error' ? outcome.message : null} />
      {outcome?.kind === 'done' && (
        <div role="status" className="space-y-1 text-sm">
          <p>
            New password for <span className="mono font-semibold">{outcome.name}</span> — shown once, pass it on safely:
          </p>
          <p className="mono select-all rounded bg-slate-800 px-2 py-1 light:bg-slate-100" data-testid="reset-password-value">
            {outcome.password}
          </p>
        </div>
      )}
      <button type="submit" disabled={busy} className={buttonClass}>
        {busy ? 'Resetting…' : 'Reset password'}
      </button>
    </form>
  );
}
