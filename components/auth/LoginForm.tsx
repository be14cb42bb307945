'use client';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { describeFailure, signIn } from '@/components/api/client';
import { FailureMessage } from '@/components/common/FailureMessage';
import { formText } from '@/components/common/form-text';

export function LoginForm() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      await signIn({ name: formText(form, 'name'), password: formText(form, 'password') });
    } catch (failure) {
      setError(describeFailure(failure));
      return;
    } finally {
      setBusy(false);
    }
    router.push('/');
    router.refresh();
  };

  return (
    <form onSubmit={(event) => void submit(event)} className="panel w-full max-w-sm space-y-4 p-6" aria-labelledby="login-title">
      <h1 id="login-title" className="text-lg font-semibold">
        <span aria-hidden>◉ </span>Sockscope
      </h1>
      <label className="block text-sm">
        Name
        <input
          name="name"
          autoComplete="username"
          required
          className="mt-1 w-full rounded border border-slate-700 bg-slate-950 px-3 py-2 light:border-slate-300 light:bg-white"
        />
      </label>
      <label className="block text-sm">
        Password
        <input
          name="password"
          type="password"
          autoComplete="current-password"
          required
          className="mt-1 w-full rounded border border-slate-700 bg-slate-950 px-3 py-2 light:border-slate-300 light:bg-white"
        />
      </label>
      <FailureMessage message={error} />
      <button type="submit" disabled={busy} className="w-full rounded bg-sky-600 px-3 py-2 font-medium text-white hover:bg-sky-500 disabled:opacity-60">
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
      <p className="text-xs text-slate-500">First run? The server printed the admin password on its console.</p>
    </form>
  );
}
