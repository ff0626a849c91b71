const DAY = 86_400_000;

/** The calendar day (YYYY-MM-DD, UTC) of a date or ISO instant. */
export const dayOf = (isoOrDate: string): string => isoOrDate.slice(0, 10);

/** Whole days from an evidence date to the as-of date; negative when the evidence is dated later. */
export function ageInDays(asOf: string, isoOrDate: string): number {
  return Math.round((Date.parse(`${asOf}T00:00:00Z`) - Date.parse(`${dayOf(isoOrDate)}T00:00:00Z`)) / DAY);
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
}
