/**
 * @module core/clock
 * Time, injectable so that tests can drive schedules and expiry without sleeping.
 */
export interface Clock {
  now(): Date;
  /** epoch milliseconds */
  ms(): number;
}

export const systemClock: Clock = {
  now: () => new Date(),
  ms: () => Date.now(),
};

/** A clock that only moves when told to (tests). */
export class ManualClock implements Clock {
  constructor(private t: number = Date.UTC(2024, 0, 1)) {}
  now(): Date { return new Date(this.t); }
  ms(): number { return this.t; }
  advance(ms: number): void { this.t += ms; }
  set(ms: number): void { this.t = ms; }
}
