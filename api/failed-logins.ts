/**
 * Failed authentications counted per client address, so guessing keys is slowed and then refused
 * (429) while everyone else, and the same address with a valid key, goes on: integrators behind
 * one NAT share an address, and one of them mistyping a key must not lock out the others.
 *
 * Each address has a fixed window that opens at its first failure. In it, the first `slowAfter`
 * failures answer 401 at once, the next ones wait `delayStepMs` longer each before their 401, and
 * from the `limit`-th on a failure answers 429 until the window closes.
 */
export const failedLoginPolicy = {
  limit: 10,
  windowMs: 60_000,
  slowAfter: 5,
  delayStepMs: 100,
  /** Bounds the memory an attacker spreading over many addresses can take. */
  maxAddresses: 10_000,
} as const;

export type FailedLoginPolicy = { readonly [K in keyof typeof failedLoginPolicy]: number };

interface Window {
  failures: number;
  endsAt: number;
}

export class FailedLogins {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly policy: FailedLoginPolicy = failedLoginPolicy,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whole seconds until `address` may fail again without a 429, or undefined if it may now. */
  refusedFor(address: string): number | undefined {
    const window = this.open(address);
    if (!window || window.failures < this.policy.limit) return undefined;
    return Math.ceil((window.endsAt - this.now()) / 1000);
  }

  /** Counts a failure of `address`; answers how many milliseconds to hold its 401 back. */
  fail(address: string): number {
    let window = this.open(address);
    if (!window) {
      this.makeRoom();
      window = { failures: 0, endsAt: this.now() + this.policy.windowMs };
      this.windows.set(address, window);
    }
    window.failures += 1;
    return Math.max(0, window.failures - this.policy.slowAfter) * this.policy.delayStepMs;
  }

  private open(address: string): Window | undefined {
    const window = this.windows.get(address);
    return window && window.endsAt > this.now() ? window : undefined;
  }

  /** Drops closed windows, then the oldest ones (a Map iterates in insertion order) if still full. */
  private makeRoom(): void {
    if (this.windows.size < this.policy.maxAddresses) return;
    const now = this.now();
    for (const [address, window] of this.windows) if (window.endsAt <= now) this.windows.delete(address);
    for (const address of this.windows.keys()) {
      if (this.windows.size < this.policy.maxAddresses) break;
      this.windows.delete(address);
    }
  }
}
