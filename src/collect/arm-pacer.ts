/**
 * Keeps ARM reads under Azure Resource Manager's token bucket (by default 250 requests, refilled at 25
 * per second, per subscription and principal) by waiting for a token before each request.
 */
export class ArmPacer {
  private readonly buckets = new Map<string, { tokens: number; updated: number }>();

  constructor(
    private readonly capacity = 250,
    private readonly refillPerSecond = 25,
    private readonly monotonicNow: () => number = () => performance.now(),
  ) {}

  /** Resolves once a request for this subscription (or `tenant` for tenant-level routes) may go. */
  async take(key: string): Promise<void> {
    for (;;) {
      const wait = this.tryTake(key);
      if (wait === 0) return;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  /** Takes a token when one is there (returns 0), or says how many milliseconds until one is. */
  tryTake(key: string): number {
    const now = this.monotonicNow();
    const bucket = this.buckets.get(key) ?? { tokens: this.capacity, updated: now };
    bucket.tokens = Math.min(this.capacity, bucket.tokens + ((now - bucket.updated) / 1000) * this.refillPerSecond);
    bucket.updated = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - bucket.tokens) / this.refillPerSecond) * 1000);
  }
}

/** The subscription an ARM URL addresses, or `tenant` for routes above subscriptions. */
export function subscriptionOfUrl(url: string): string {
  const m = /\/subscriptions\/([^/?]+)/i.exec(url);
  return m?.[1]?.toLowerCase() ?? "tenant";
}
