// What a forwarding destination's answer means for an alert: try again later (maybe after the
// receiver's Retry-After), or never. Anything else a delivery throws is a network error: retried.
export class DeliveryFailure extends Error {
  constructor(
    message: string,
    readonly isRetryable: boolean,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = 'DeliveryFailure';
  }
}
