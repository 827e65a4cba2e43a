/**
 * mqadmin's timestamp arguments (resetOffsetByTime -s, consumeMessage -s/-e): `now`, epoch
 * milliseconds, or UtilAll.YYYY_MM_DD_HH_MM_SS_SSS = `yyyy-MM-dd#HH:mm:ss:SSS` in local time.
 */
import { CliUsageError } from './flags.js';

/** What `now` means to resetOffsetByTime: the broker takes each queue's max offset. */
export const NOW_TIMESTAMP = -1;

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})#(\d{2}):(\d{2}):(\d{2}):(\d{3})$/;

/**
 * Parses a timestamp argument. `now` → NOW_TIMESTAMP (−1) when `allowNow`; digits → epoch millis;
 * the date form → local time. Java's SimpleDateFormat is lenient (month 13 rolls into next year);
 * an out-of-range field is rejected here, since it is surely a typo.
 */
export function parseTimestamp(text: string, flag: string, allowNow = true): number {
  const v = text.trim();
  if (v === 'now') {
    if (allowNow) return NOW_TIMESTAMP;
    throw new CliUsageError(`${flag}: 'now' is not accepted here`);
  }
  if (/^\d+$/.test(v)) {
    const n = Number(v);
    if (Number.isSafeInteger(n)) return n;
  }
  const m = DATE_PATTERN.exec(v);
  if (m !== null) {
    const [year, month, day, hour, minute, second, milli] = m.slice(1).map(Number) as [number, number, number, number, number, number, number];
    const d = new Date(year, month - 1, day, hour, minute, second, milli);
    const exact =
      d.getFullYear() === year && d.getMonth() === month - 1 && d.getDate() === day &&
      d.getHours() === hour && d.getMinutes() === minute && d.getSeconds() === second;
    if (exact) return d.getTime();
  }
  throw new CliUsageError(`${flag} expects now, epoch milliseconds or yyyy-MM-dd#HH:mm:ss:SSS, got '${v}'`);
}

/** Epoch millis → `yyyy-MM-dd HH:mm:ss,SSS` local time (UtilAll.timeMillisToHumanString2, mqadmin's tables). */
export function formatTimestamp(ms: number): string {
  if (ms <= 0) return '-';
  const d = new Date(ms);
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())},${p(d.getMilliseconds(), 3)}`;
}

/** Epoch millis → `yyyy-MM-dd HH:mm:ss` local time (UtilAll.YYYY_MM_DD_HH_MM_SS); 0 → "N/A" (consumerProgress's LastTime). */
export function formatDateSeconds(ms: number): string {
  if (ms <= 0) return 'N/A';
  return formatTimestamp(ms).slice(0, -4);
}
