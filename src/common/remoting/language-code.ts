/** LanguageCode (PROTOCOL.md §1.3): JSON headers carry the name, ROCKETMQ headers the byte. */
export const LanguageCode = {
  JAVA: 0,
  CPP: 1,
  DOTNET: 2,
  PYTHON: 3,
  DELPHI: 4,
  ERLANG: 5,
  RUBY: 6,
  OTHER: 7,
  HTTP: 8,
  GO: 9,
  PHP: 10,
  OMS: 11,
  RUST: 12,
} as const;

export type LanguageCodeName = keyof typeof LanguageCode;

const BY_BYTE: (LanguageCodeName | undefined)[] = [];
for (const [name, code] of Object.entries(LanguageCode)) BY_BYTE[code] = name as LanguageCodeName;

/** The name for a ROCKETMQ-header byte; Java decodes an unknown byte as null, we keep OTHER. */
export function languageFromByte(b: number): LanguageCodeName {
  return BY_BYTE[b] ?? 'OTHER';
}

export function isLanguageCodeName(s: string): s is LanguageCodeName {
  return Object.prototype.hasOwnProperty.call(LanguageCode, s);
}
