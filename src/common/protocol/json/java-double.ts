/**
 * Java's `Double.toString` text for a double, as fastjson writes doubles (its RyuDouble port keeps
 * Java's layout with the shortest round-tripping digits, which is what JS computes too):
 *   - 1e-3 ≤ |v| < 1e7: plain decimal with at least one fraction digit (`0.0`, `12.5`, `100.0`);
 *   - otherwise computerized scientific notation with a mantissa fraction digit (`1.0E7`, `2.5E-4`).
 * NaN and ±Infinity have no JSON form; fastjson writes `null` for them (handled by the writer).
 */
export function formatJavaDouble(v: number): string {
  if (v === 0) return Object.is(v, -0) ? '-0.0' : '0.0';
  const sign = v < 0 ? '-' : '';
  const abs = Math.abs(v);
  // toExponential() without an argument yields the shortest round-tripping digits: "d.ddde±x".
  const exp = abs.toExponential();
  const eIdx = exp.indexOf('e');
  const digits = exp.slice(0, eIdx).replace('.', '');
  const e = Number(exp.slice(eIdx + 1));
  if (abs >= 1e-3 && abs < 1e7) {
    if (e >= 0) {
      const intPart = digits.length > e + 1 ? digits.slice(0, e + 1) : digits.padEnd(e + 1, '0');
      const frac = digits.length > e + 1 ? digits.slice(e + 1) : '0';
      return `${sign}${intPart}.${frac}`;
    }
    return `${sign}0.${'0'.repeat(-e - 1)}${digits}`;
  }
  const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : `${digits}.0`;
  return `${sign}${mantissa}E${e}`;
}
