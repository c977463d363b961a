/**
 * One message a platform received again: its key (destination, a newline, then its title), when
 * the first copy went and when this one did.
 */
export type Duplicate = { key: string; first: number; again: number };

/** A message's key: where it went and its title. */
export const messageKey = (destination: string, title: string) => `${destination}\n${title}`;

/** The destination part of a key (a channel, a thread, a person's DM). */
export const destinationOf = (key: string) => key.split('\n')[0] ?? key;

/**
 * Messages the platforms accepted, by key (destination and title), against the deliveries Postgres
 * says were sent with that key. More calls than deliveries: posted twice; fewer: lost.
 */
export class Tally {
  private readonly calls = new Map<string, number[]>();
  private readonly sent = new Map<string, number>();

  call(key: string, at: number): void {
    this.calls.set(key, [...(this.calls.get(key) ?? []), at]);
  }

  delivered(key: string): void {
    this.sent.set(key, (this.sent.get(key) ?? 0) + 1);
  }

  /**
   * The extra copies of each message. A reminder repeats with the same title every few seconds
   * of policy time, so of a key's copies the repeats are taken to be those closest after another
   * (a retry follows its first copy within seconds; the next reminder comes a whole period later).
   */
  duplicates(): Duplicate[] {
    const out: Duplicate[] = [];
    for (const [key, times] of this.calls) {
      const extra = times.length - (this.sent.get(key) ?? 0);
      if (extra <= 0) continue;
      const sorted = [...times].sort((a, b) => a - b);
      const pairs = sorted.slice(1).map((again, i) => ({ key, first: sorted[i]!, again }));
      pairs.sort((a, b) => a.again - a.first - (b.again - b.first));
      out.push(...pairs.slice(0, extra));
    }
    return out;
  }

  /** Keys with more deliveries recorded as sent than calls the platform accepted. */
  lost(): string[] {
    return [...this.sent].filter(([key, n]) => n > (this.calls.get(key)?.length ?? 0)).map(([key]) => key);
  }

  totals(): { calls: number; sent: number } {
    let calls = 0;
    let sent = 0;
    for (const times of this.calls.values()) calls += times.length;
    for (const n of this.sent.values()) sent += n;
    return { calls, sent };
  }
}
