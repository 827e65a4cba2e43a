/**
 * java.util.Properties text, as RocketMQ uses it for broker.conf / namesrv config files and for the
 * UPDATE_BROKER_CONFIG / GET_BROKER_CONFIG bodies (MixAll.string2Properties / properties2String).
 *
 * Reading follows Properties.load: `#`/`!` comments, `key=value`, `key: value` or `key value`,
 * backslash line continuations, and the escapes \t \n \r \f \uXXXX. Writing follows
 * properties2String: `key=value\n` per entry, no escaping (RocketMQ writes it that way).
 */
export function parseJavaProperties(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    let line = stripLeading(lines[i]!);
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    // An odd number of trailing backslashes continues the logical line.
    while (endsWithContinuation(line) && i + 1 < lines.length) {
      line = line.slice(0, -1) + stripLeading(lines[++i]!);
    }
    if (endsWithContinuation(line)) line = line.slice(0, -1);
    const [key, value] = splitKeyValue(line);
    out.set(unescape(key), unescape(value));
  }
  return out;
}

export function formatJavaProperties(entries: Iterable<readonly [string, string | number | boolean]>): string {
  let s = '';
  for (const [k, v] of entries) s += `${k}=${String(v)}\n`;
  return s;
}

function stripLeading(s: string): string {
  return s.replace(/^[ \t\f]+/, '');
}

function endsWithContinuation(s: string): boolean {
  let n = 0;
  for (let i = s.length - 1; i >= 0 && s[i] === '\\'; i--) n++;
  return n % 2 === 1;
}

function splitKeyValue(line: string): [string, string] {
  let i = 0;
  for (; i < line.length; i++) {
    const c = line[i]!;
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '=' || c === ':' || c === ' ' || c === '\t' || c === '\f') break;
  }
  const key = line.slice(0, i);
  let rest = line.slice(i);
  // Separator: optional whitespace, at most one of '=' / ':', optional whitespace.
  rest = rest.replace(/^[ \t\f]*/, '');
  if (rest.startsWith('=') || rest.startsWith(':')) rest = rest.slice(1);
  rest = rest.replace(/^[ \t\f]*/, '');
  return [key, rest];
}

function unescape(s: string): string {
  if (!s.includes('\\')) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c !== '\\' || i + 1 >= s.length) {
      out += c;
      continue;
    }
    const n = s[++i]!;
    switch (n) {
      case 't':
        out += '\t';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 'f':
        out += '\f';
        break;
      case 'u': {
        const hex = s.slice(i + 1, i + 5);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new Error(`malformed \\uxxxx escape in properties: \\u${hex}`);
        out += String.fromCharCode(parseInt(hex, 16));
        i += 4;
        break;
      }
      default:
        out += n;
    }
  }
  return out;
}
