// How fast passwords may be tried, without handing anyone a way to lock an account out.
//
// Per client address: 10 attempts a minute, whatever the name; an address over it is refused
// before anything else is counted (no password check, nothing charged to the account).
// Per account: 10 failed passwords a minute from anywhere mark it as under attack; until those
// failures age out, an address that has failed on the account is refused, while an address that has
// not still gets its try. Locking (account, address) pairs instead of accounts is OWASP's answer
// to lock-out as denial of service: the real user, at an address of their own, still signs in.
import { AppError } from '@/lib/http/errors';
import { RateLimiter } from '@/lib/http/rate-limit';

const WINDOW_MS = 60_000;
export const ATTEMPTS_PER_ADDRESS = 10;
export const FAILURES_PER_ACCOUNT = 10;

export class SignInThrottle {
  private readonly attemptsByAddress = new RateLimiter(ATTEMPTS_PER_ADDRESS, WINDOW_MS);
  private readonly failuresByAccount = new RateLimiter(FAILURES_PER_ACCOUNT, WINDOW_MS);
  private readonly failuresByAccountAndAddress = new RateLimiter(1, WINDOW_MS);

  /** Counts an attempt on `account` from `address`; throws 429 (with the real Retry-After) when refused. */
  admit(account: string, address: string, now = Date.now()): void {
    const byAddress = this.attemptsByAddress.take(address, now);
    if (!byAddress.isAllowed) throw tooMany(byAddress.retryAfterSeconds);
    const accountFailures = this.failuresByAccount.peek(account, now);
    const pairFailures = this.failuresByAccountAndAddress.peek(pairKey(account, address), now);
    if (accountFailures.count >= FAILURES_PER_ACCOUNT && pairFailures.count > 0) throw tooMany(pairFailures.secondsLeft);
  }

  /** A wrong password (or an unknown or disabled name) for `account` from `address`. */
  recordFailure(account: string, address: string, now = Date.now()): void {
    this.failuresByAccount.take(account, now);
    this.failuresByAccountAndAddress.take(pairKey(account, address), now);
  }
}

/** One per process (route handlers are bundled apart from server.ts, so it lives on globalThis). */
const globalForThrottle = globalThis as typeof globalThis & { __sockscopeSignInThrottle?: SignInThrottle };
export const signInThrottle = (globalForThrottle.__sockscopeSignInThrottle ??= new SignInThrottle());

const pairKey = (account: string, address: string) => `${account}\u0000${address}`;

function tooMany(retryAfterSeconds: number): AppError {
  return new AppError('rate_limited', `Too many sign-in attempts; retry in ${retryAfterSeconds} s.`, [], retryAfterSeconds);
}
