/** AWS calls reserved before a device is started: DescribeStream + UpdateDataRetention. */
export const CALLS_PER_DEVICE = 2;

export class BudgetExhausted extends Error {
  constructor() {
    super("subrequest budget exhausted");
    this.name = "BudgetExhausted";
  }
}

/**
 * Counts AWS calls against the budget. A device reserves CALLS_PER_DEVICE before it starts, so it
 * is never started without the budget for its normal calls; retries use what is left over.
 */
export class Budget {
  private reserved = 0;
  spent = 0;
  constructor(readonly limit: number) {}
  private free() {
    return this.limit - this.spent - this.reserved;
  }
  reserve(): Ticket | null {
    if (this.free() < CALLS_PER_DEVICE) return null;
    this.reserved += CALLS_PER_DEVICE;
    return new Ticket(this, CALLS_PER_DEVICE);
  }
  /** @internal */ take(ticket: Ticket) {
    if (ticket.left > 0) {
      ticket.left--;
      this.reserved--;
    } else if (this.free() > 0) {
      // spare budget beyond the reservation (retries)
    } else {
      throw new BudgetExhausted();
    }
    this.spent++;
  }
  /** @internal */ release(ticket: Ticket) {
    this.reserved -= ticket.left;
    ticket.left = 0;
  }
  canRetry() {
    return this.free() > 0;
  }
}

export class Ticket {
  constructor(
    private readonly budget: Budget,
    public left: number,
  ) {}
  /** Call right before each AWS request. */
  take() {
    this.budget.take(this);
  }
  release() {
    this.budget.release(this);
  }
  canRetry() {
    return this.left > 0 || this.budget.canRetry();
  }
}
