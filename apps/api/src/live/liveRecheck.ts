import type { LivePerson, LiveSessionGroup } from "./liveStreams";

/** What the idle re-checks need of the hub. */
export interface LiveRecheckHost {
  people(): Iterable<LivePerson>;
  /** Checks one session; a signed-out one's streams end (SEC-2). */
  checkSession(group: LiveSessionGroup): Promise<boolean>;
  /** Ends a person's streams after a failure. */
  fail(person: LivePerson, error: unknown): void;
}

/**
 * Idle re-checks: one timer for the whole process. Sessions and people not checked for a while
 * are checked again, so an idle stream stops too (SEC-2, ELIG-6). Each person's re-check runs on
 * its own: one still running (a slow or stuck database call) is not started again, and holds up
 * nobody else's.
 */
export class LiveRecheck {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly host: LiveRecheckHost,
    private readonly recheckMs: number,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.recheck(), this.recheckMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private recheck(): void {
    const stale = Date.now() - this.recheckMs / 2;
    for (const person of this.host.people()) {
      if (person.rechecking) continue;
      person.rechecking = true;
      void this.recheckPerson(person, stale).finally(() => {
        person.rechecking = false;
      });
    }
  }

  private async recheckPerson(person: LivePerson, stale: number): Promise<void> {
    try {
      for (const group of [...person.sessions.values()])
        if (group.checkedAt <= stale) await this.host.checkSession(group);
      if (person.sessions.size > 0 && person.standingAt <= stale) await person.checkStanding();
    } catch (error) {
      this.host.fail(person, error);
    }
  }
}
