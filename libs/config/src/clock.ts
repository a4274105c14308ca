/** Time is a port: nothing reads the system clock except the SystemClock below. */
export interface Clock {
  now(): Date;
}

export class SystemClock implements Clock {
  now(): Date {
    return new Date();
  }
}

/**
 * Starts at a configured instant and runs forward at real speed from there (CLOCK_START).
 * Monotonic: based on process.hrtime, so a system clock step never moves it backwards.
 */
export class StartedClock implements Clock {
  private readonly origin = process.hrtime.bigint();
  constructor(private readonly start: Date) {}

  now(): Date {
    const elapsedMs = Number((process.hrtime.bigint() - this.origin) / 1_000_000n);
    return new Date(this.start.getTime() + elapsedMs);
  }
}

/** For tests: a clock that moves only when told. */
export class FixedClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current.getTime());
  }
  set(instant: Date | string): void {
    this.current = new Date(instant);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}
