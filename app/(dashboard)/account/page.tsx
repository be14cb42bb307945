import type { Metadata } from 'next';
import { ChangePasswordForm } from '@/components/account/ChangePasswordForm';
import { ResetPasswordForm } from '@/components/account/ResetPasswordForm';
import { readPageData } from '@/lib/auth/page-session';
import { hasRole } from '@/lib/auth/principal';

export const metadata: Metadata = { title: 'Account' };

export default async function AccountPage() {
  const { principal } = await readPageData();
  return (
    <div className="space-y-4">
      <h1 className="text-lg font-semibold">
        Account <span className="mono">{principal.name}</span> <span className="text-sm font-normal text-slate-400">({principal.role})</span>
      </h1>
      <div className="flex flex-wrap items-start gap-4">
        <ChangePasswordForm />
        {hasRole(principal, 'admin') && <ResetPasswordForm />}
      </div>
    </div>
  );
}
