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

/** Days 01–28 exist in every month: such an instant is canonical by its shape alone. */
const SURE_INSTANT = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|1\d|2[0-8])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;
const INSTANT_SHAPE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Is `text` exactly what toISOString() writes for its instant (a real date, UTC, milliseconds)? */
export function isCanonicalInstant(text: string): boolean {
  if (SURE_INSTANT.test(text)) return true;
  if (!INSTANT_SHAPE.test(text)) return false;
  const ms = Date.parse(text);
  return !Number.isNaN(ms) && new Date(ms).toISOString() === text;
}
