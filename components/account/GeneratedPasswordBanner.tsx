// Shown on every page to an analyst who still signs in with a password they did not choose (the
// first admin's, printed to the server log; a generated or reset one) until they change it.
import Link from 'next/link';

export function GeneratedPasswordBanner() {
  return (
    <div
      role="status"
      data-testid="generated-password-banner"
      className="border-b border-amber-700 bg-amber-950/80 text-amber-100 light:border-amber-300 light:bg-amber-50 light:text-amber-900"
    >
      <p className="mx-auto flex max-w-screen-2xl flex-wrap items-center gap-3 px-4 py-2 text-sm">
        <strong className="font-semibold">Your password was generated for you</strong>
        <span>— it was shown on a console or to an admin. Choose your own so that only you know it.</span>
        <Link href="/account" className="ml-auto rounded bg-amber-600 px-3 py-1 font-medium text-white hover:bg-amber-500">
          Change password
        </Link>
      </p>
    </div>
  );
}
