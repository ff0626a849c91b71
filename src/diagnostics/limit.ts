import type { Diagnostic } from '../model/types.js';

/** How many diagnostics with the same code one file may report before they are summarized. */
export const PER_CODE = 20;

/**
 * Keeps a file's diagnostics bounded: a million-row export with the same mistake in every row gives
 * the first PER_CODE of them and one summary with the count, not a million messages.
 */
export class DiagnosticLimiter {
  readonly kept: Diagnostic[] = [];
  private readonly perCode = new Map<string, number>();

  constructor(private readonly file: string) {}

  add(d: Diagnostic): void {
    const seen = (this.perCode.get(d.code) ?? 0) + 1;
    this.perCode.set(d.code, seen);
    if (seen <= PER_CODE) this.kept.push(d);
  }

  /** The kept diagnostics, plus one summary per code that went over the limit. */
  all(): Diagnostic[] {
    const summaries = [...this.perCode]
      .filter(([, n]) => n > PER_CODE)
      .map(([code, n]) => {
        const first = this.kept.find((d) => d.code === code)!;
        return { code, severity: first.severity, message: `and ${n - PER_CODE} more like the above in this file`, file: this.file };
      });
    return [...this.kept, ...summaries];
  }
}
