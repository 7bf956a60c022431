/** The emulator's time: set, advanced, and either frozen or moving with real time. */
export class EmulatorClock {
  private base: number;
  private anchor: number;

  constructor(start: Date = new Date(), private readonly frozen = false) {
    this.base = start.getTime();
    this.anchor = Date.now();
  }

  now(): Date {
    return new Date(this.frozen ? this.base : this.base + (Date.now() - this.anchor));
  }

  set(to: Date): void {
    this.base = to.getTime();
    this.anchor = Date.now();
  }

  advance(ms: number): void {
    this.base += ms;
  }
}
