// The sign-in limits on a clock of our own: guessing is slowed, nobody can lock an account out,
// and Retry-After says how long is really left.
import { describe, expect, it } from 'vitest';
import { SignInThrottle } from '@/lib/auth/sign-in-throttle';

/** What the caller would get: 'admitted', or 429 with its Retry-After. */
function attempt(throttle: SignInThrottle, account: string, address: string, now: number): string {
  const decision = throttle.check(account, address, now);
  return decision.isAllowed ? 'admitted' : `429 retry in ${decision.retryAfterSeconds}`;
}

/** A wrong password: admitted attempts count as failures. */
function fail(throttle: SignInThrottle, account: string, address: string, now: number): string {
  const outcome = attempt(throttle, account, address, now);
  if (outcome === 'admitted') throttle.recordFailure(account, address, now);
  return outcome;
}

describe('sign-in throttle', () => {
  it('refuses an address after 10 attempts a minute, with the time really left in its window', () => {
    const throttle = new SignInThrottle();
    const outcomes = Array.from({ length: 10 }, (_, index) => fail(throttle, 'analyst1', '203.0.113.1', index * 1000));
    expect(outcomes).toEqual(Array(10).fill('admitted'));
    expect(attempt(throttle, 'analyst1', '203.0.113.1', 15_000)).toBe('429 retry in 45');
    expect(attempt(throttle, 'someone-else', '203.0.113.1', 59_500)).toBe('429 retry in 1');
    expect(attempt(throttle, 'someone-else', '203.0.113.1', 60_000)).toBe('admitted');
  });

  it('charges nothing to the account for attempts an address was refused', () => {
    const throttle = new SignInThrottle();
    for (let index = 0; index < 10; index++) fail(throttle, 'other', '203.0.113.1', 0);
    // 100 refused guesses at analyst1: none of them counts against the account.
    for (let index = 0; index < 100; index++) expect(fail(throttle, 'analyst1', '203.0.113.1', 1000)).toMatch(/^429/);
    for (let index = 0; index < 9; index++) expect(fail(throttle, 'analyst1', `198.51.100.${index}`, 2000)).toBe('admitted');
    // Nine real failures so far: the account is not under attack, so a failed address may try again.
    expect(attempt(throttle, 'analyst1', '198.51.100.0', 3000)).toBe('admitted');
  });

  it('cannot be used to lock an account out: ten wrong passwords from everywhere leave a fresh address its try', () => {
    const throttle = new SignInThrottle();
    for (let index = 0; index < 10; index++) expect(fail(throttle, 'analyst1', `203.0.113.${index}`, index * 1000)).toBe('admitted');
    // The account is under attack: every address that failed on it waits for its failure to age out...
    expect(attempt(throttle, 'analyst1', '203.0.113.0', 20_000)).toBe('429 retry in 40');
    expect(attempt(throttle, 'analyst1', '203.0.113.9', 20_000)).toBe('429 retry in 49');
    // ...the real user at an address of their own gets in...
    expect(attempt(throttle, 'analyst1', '192.0.2.77', 20_000)).toBe('admitted');
    // ...and an attacker gets one guess per fresh address, not ten.
    expect(fail(throttle, 'analyst1', '203.0.113.200', 21_000)).toBe('admitted');
    expect(attempt(throttle, 'analyst1', '203.0.113.200', 22_000)).toBe('429 retry in 59');
    // Other accounts are not affected by the attack on this one.
    expect(attempt(throttle, 'analyst2', '203.0.113.0', 22_000)).toBe('admitted');
  });
});
