import { CancellationScope, isCancellation, sleep } from '@temporalio/workflow';

/**
 * The durable timer for a case's next due time, kept while events leave that time as it was: re-arming it
 * after every event would add a cancelled and a started timer to the history of nearly every command.
 * Workflow code only (it uses Temporal's `sleep`).
 */
export class Alarm {
  private dueAt: number | undefined;
  private scope: CancellationScope | undefined;
  /** The armed time has come. */
  rang = false;

  /** Arms the alarm for `dueAt` (ms since the epoch) or clears it; the time it is already set for changes nothing. */
  set(dueAt: number | undefined, now: number): void {
    if (dueAt !== undefined && dueAt === this.dueAt && (this.scope || this.rang)) return;
    this.clear();
    this.dueAt = dueAt;
    if (dueAt === undefined) return;
    if (dueAt <= now) {
      this.rang = true;
      return;
    }
    const scope = new CancellationScope();
    this.scope = scope;
    scope
      .run(() => sleep(dueAt - now))
      .then(
        () => {
          if (this.scope !== scope) return;
          this.scope = undefined;
          this.rang = true;
        },
        (error: unknown) => {
          if (!isCancellation(error)) throw error;
        },
      );
  }

  /** Cancels the timer; the next `set` arms anew. */
  clear(): void {
    this.scope?.cancel();
    this.scope = undefined;
    this.dueAt = undefined;
    this.rang = false;
  }
}
