/**
 * Calendar arithmetic on the proleptic Gregorian calendar, without Date: `Date.UTC` maps years 0–99
 * to 1900–1999, which would silently corrupt timestamps such as `0050-01-01`.
 */

/** Days from 1970-01-01 to the given civil date (H. Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1];
}

/** First and last millisecond whose ISO form has a four-digit year: 0000-01-01 … 9999-12-31. */
export const MIN_MS = daysFromCivil(0, 1, 1) * 86_400_000;
export const MAX_MS = daysFromCivil(10000, 1, 1) * 86_400_000 - 1;
