/*
 * IndexFile names: the creation time as `yyyyMMddHHmmssSSS` in local time (Java's
 * UtilAll.timeMillisToHumanString), so that a plain name sort is creation order.
 */

/** Java's UtilAll.timeMillisToHumanString: 17 digits, local time zone. */
export function timeMillisToHumanString(t: number): string {
  const d = new Date(t);
  return (
    pad(d.getFullYear(), 4) +
    pad(d.getMonth() + 1, 2) +
    pad(d.getDate(), 2) +
    pad(d.getHours(), 2) +
    pad(d.getMinutes(), 2) +
    pad(d.getSeconds(), 2) +
    pad(d.getMilliseconds(), 3)
  );
}

const HUMAN_STRING = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{3})$/;

/** The local time a `yyyyMMddHHmmssSSS` name stands for, or undefined for any other name. */
export function humanStringToTimeMillis(name: string): number | undefined {
  const m = HUMAN_STRING.exec(name);
  if (m === null) return undefined;
  const [year, month, day, hour, minute, second, ms] = m.slice(1).map(Number) as [number, number, number, number, number, number, number];
  return new Date(year, month - 1, day, hour, minute, second, ms).getTime();
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}
