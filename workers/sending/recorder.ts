/** Background recording for the send consumer (deliver.ts): writes overlap the SMTP sessions. */

/**
 * Records delivered messages in the background while sessions are still sending: whatever has
 * arrived since the last write goes in the next one (one transaction at a time), so the chunks
 * grow when the database is the slower side and the database is never asked for more than one
 * round of writes at once.
 */
export class Recorder<T> {
  private pending: T[] = [];
  private running: Promise<void> | null = null;
  private error: unknown = null;
  private readonly write: (chunk: T[]) => Promise<void>;
  constructor(write: (chunk: T[]) => Promise<void>) {
    this.write = write;
  }

  get failed() {
    return this.error !== null;
  }

  add(d: T) {
    this.pending.push(d);
    this.running ??= this.loop();
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
    await this.running;
    if (this.pending.length) {
      const chunk = this.pending;
      this.pending = [];
      await this.write(chunk);
    } else if (this.error !== null) throw this.error;
  }
}
