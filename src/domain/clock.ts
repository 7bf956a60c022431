/** The only way the product reads time. Tests and the emulator pass a settable one. */
export interface Clock {
  now(): Date;
}

/** A clock that can be set and advanced; used by tests and the demo. */
export class ManualClock implements Clock {
  private current: number;

  constructor(start: Date) {
    this.current = start.getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  set(to: Date): void {
    this.current = to.getTime();
  }

  advance(ms: number): void {
    this.current += ms;
  }
}
