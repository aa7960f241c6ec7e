// Who may run at once: model transforms share a few slots; a measurement runs alone so nothing skews its timing.

export class WorkSlots {
  private shared = 0;
  private exclusive = false;
  private queue: Array<{ exclusive: boolean; wake: () => void }> = [];

  constructor(private readonly limit: number) {}

  async acquire(exclusive: boolean): Promise<() => void> {
    if (this.queue.length === 0 && this.canStart(exclusive)) this.take(exclusive);
    else await new Promise<void>((wake) => this.queue.push({ exclusive, wake }));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (exclusive) this.exclusive = false;
      else this.shared--;
      this.drain();
    };
  }

  private canStart(exclusive: boolean): boolean {
    if (this.exclusive) return false;
    return exclusive ? this.shared === 0 : this.shared < this.limit;
  }

  private take(exclusive: boolean): void {
    if (exclusive) this.exclusive = true;
    else this.shared++;
  }

  /** strictly first come, first served: a waiting measurement is not starved by later transforms */
  private drain(): void {
    while (this.queue.length > 0 && this.canStart(this.queue[0]!.exclusive)) {
      const next = this.queue.shift()!;
      this.take(next.exclusive);
      next.wake();
    }
  }
}
