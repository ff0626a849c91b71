/** The ways filling an insurer's workbook can fail on the user's input (kept apart from the heavy filler). */

export interface FillMapProblem {
  file: string;
  line?: number;
  message: string;
}

export class FillMapError extends Error {
  constructor(readonly problems: FillMapProblem[]) {
    super(problems.map((p) => `${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`).join('\n'));
    this.name = 'FillMapError';
  }
}

/** The insurer's workbook cannot be used: too large, not a workbook, unreadable, or no such sheet. */
export class InsurerFormError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InsurerFormError';
  }
}
