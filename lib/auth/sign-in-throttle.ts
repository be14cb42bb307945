// How fast passwords may be tried, without handing anyone a way to lock an account out.
//
// Per client address: 10 attempts a minute, whatever the name; an address over it is refused
// before anything else is counted (no password check, nothing charged to the account).
// Per account: 10 failed passwords a minute from anywhere mark it as under attack; until those
// failures age out, an address that has failed on the account is refused, while an address that has
// not still gets its try. Locking (account, address) pairs instead of accounts is OWASP's answer
// to lock-out as denial of service: the real user, at an address of their own, still signs in.
import { AppError } from '@/lib/errors';
import { RateLimiter, type RateDecision } from '@/lib/http/rate-limit';
import { sharedProcessState } from '@/lib/process-state';

const WINDOW_MS = 60_000;
const ATTEMPTS_PER_ADDRESS = 10;
const FAILURES_PER_ACCOUNT = 10;

export class SignInThrottle {
  private readonly attemptsByAddress = new RateLimiter(ATTEMPTS_PER_ADDRESS, WINDOW_MS);
  private readonly failuresByAccount = new RateLimiter(FAILURES_PER_ACCOUNT, WINDOW_MS);
  private readonly failuresByAccountAndAddress = new RateLimiter(1, WINDOW_MS);

  /** Counts an attempt on `account` from `address` and says whether its password may be checked. */
  check(account: string, address: string, now = Date.now()): RateDecision {
    const byAddress = this.attemptsByAddress.take(address, now);
    if (!byAddress.isAllowed) return byAddress;
    const accountFailures = this.failuresByAccount.peek(account, now);
    const pairFailures = this.failuresByAccountAndAddress.peek(pairKey(account, address), now);
    if (accountFailures.count >= FAILURES_PER_ACCOUNT && pairFailures.count > 0) return { isAllowed: false, retryAfterSeconds: pairFailures.secondsLeft };
    return { isAllowed: true, retryAfterSeconds: 0 };
  }

  /** A wrong password (or an unknown or disabled name) for `account` from `address`. */
  recordFailure(account: string, address: string, now = Date.now()): void {
    this.failuresByAccount.take(account, now);
    this.failuresByAccountAndAddress.take(pairKey(account, address), now);
  }
}

const pairKey = (account: string, address: string) => `${account}\u0000${address}`;

// One throttle per process, shared by every route that checks a password (lib/process-state.ts);
// the errors are made by the caller's copy of AppError.
const sharedThrottle = () => sharedProcessState('signInThrottle', () => new SignInThrottle());

/** Before checking a password of `account` sent from `address`: 429 with the real Retry-After when refused. */
export function admitPasswordAttempt(account: string, address: string): void {
  const decision = sharedThrottle().check(account, address);
  if (!decision.isAllowed) {
    throw new AppError('rate_limited', `Too many sign-in attempts; retry in ${decision.retryAfterSeconds} s.`, [], decision.retryAfterSeconds);
  }
}

/** After a wrong password (or an unknown or disabled name). */
export function recordPasswordFailure(account: string, address: string): void {
  sharedThrottle().recordFailure(account, address);
}
