// ps's `lstart` (`Tue Nov 18 10:00:00 2025`) as an ISO timestamp.
import { ParseError, quote } from './parse-error';

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * lstart is the host's local time with no zone; it is read as UTC, so run `TZ=UTC ps ...` on hosts
 * that keep local time. A date that does not exist, or a weekday that does not match it, is refused.
 */
export function startTimeFromLstart(text: string, line: number): string {
  const match = /^(\w{3}) (\w{3}) (\d{1,2}) (\d{1,2}):(\d{2}):(\d{2}) (\d{4})$/.exec(text);
  const month = MONTHS.indexOf(match?.[2] ?? '');
  if (match === null || month < 0) throw new ParseError(line, `expected a start time like "Tue Nov 18 10:00:00 2025", got ${quote(text)}`);
  const [day, hours, minutes, seconds, year] = match.slice(3).map(Number) as [number, number, number, number, number];
  const date = new Date(Date.UTC(year, month, day, hours, minutes, seconds));
  const isReal = date.getUTCDate() === day && date.getUTCMonth() === month && hours < 24 && minutes < 60 && seconds < 60;
  const isWeekdayRight = WEEKDAYS[date.getUTCDay()] === match[1];
  if (!isReal || !isWeekdayRight || year < 1970) throw new ParseError(line, `start time ${quote(text)} is not a real date`);
  return date.toISOString();
}
