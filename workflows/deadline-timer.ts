import { CancellationScope, sleep } from '@temporalio/workflow';

/**
 * The one timer a case waits on: its next deadline. It is started again only when that deadline
 * moves, so an action that leaves it where it was costs the history no cancelled timer and no new
 * one (issue 16).
 */
export class DeadlineTimer {
  private at: number | undefined;
  private scope: CancellationScope | undefined;
  /** The deadline came; the next `arm` starts the timer for the one after. */
  fired = false;

  /** Waits for `at` (undefined: for nothing), unless the timer already does. */
  arm(at: number | undefined): void {
    if (at === this.at && !this.fired) return;
    this.scope?.cancel();
    this.scope = undefined;
    this.at = at;
    this.fired = false;
    if (at === undefined) return;
    const scope = new CancellationScope();
    this.scope = scope;
    void scope
      .run(() => sleep(Math.max(at - Date.now(), 1)))
      .then(
        () => {
          if (this.scope === scope) this.fired = true;
        },
        // Cancelled: a later `arm` took its place.
        () => undefined,
      );
  }
}
