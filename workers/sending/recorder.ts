/** Background recording for the send consumer (deliver.ts): writes overlap the SMTP sessions. */

/**
 * Records delivered messages in the background while sessions are still sending: whatever has
 * arrived since the last write goes in the next one (one transaction at a time), so the chunks
 * grow when the database is the slower side and the database is never asked for more than one
 * round of writes at once.
 *
 * `holdMs` lets deliveries gather before a background write starts. Each write has a fixed cost
 * (a transaction of four round trips and a planned statement), and a write still running when the
 * last session ends delays the queue's answer. Sessions that finish within `holdMs` are recorded
 * in one write by drain(); slow sessions still get theirs written every `holdMs` or so, which
 * bounds what a crash would leave `sending` (and later `unknown`).
 */
export class Recorder<T> {
  private pending: T[] = [];
  private running: Promise<void> | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private error: unknown = null;
  private readonly write: (chunk: T[]) => Promise<void>;
  private readonly holdMs: number;
  constructor(write: (chunk: T[]) => Promise<void>, opts: { holdMs?: number } = {}) {
    this.write = write;
    this.holdMs = opts.holdMs ?? 0;
  }

  get failed() {
    return this.error !== null;
  }

  add(d: T) {
    this.pending.push(d);
    if (this.running || this.timer) return;
    if (this.holdMs <= 0) this.running = this.loop();
    else
      this.timer = setTimeout(() => {
        this.timer = null;
        this.running ??= this.loop();
      }, this.holdMs);
  }

  private async loop() {
    try {
      while (this.pending.length && this.error === null) {
        const chunk = this.pending;
        this.pending = [];
        try {
          await this.write(chunk);
        } catch (err) {
          this.error = err;
          // Kept for the final attempt in drain(): a transient failure should not leave them unrecorded.
          this.pending = [...chunk, ...this.pending];
        }
      }
    } finally {
      this.running = null;
    }
  }

  /** Waits for the background writes, then writes what is left; throws when that fails. */
  async drain() {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    await this.running;
    if (this.pending.length) {
      const chunk = this.pending;
      this.pending = [];
      await this.write(chunk);
    } else if (this.error !== null) throw this.error;
  }
}
