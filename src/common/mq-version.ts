/**
 * MQVersion.getVersionDesc (common/MQVersion.java of 4.9.8): a client version ordinal → its enum
 * name. The enum's first 212 entries (3.x) are irregular, so only the regular tail is computed:
 * from V4_0_0_SNAPSHOT (ordinal 212) every minor has ten patches, each a _SNAPSHOT then the
 * release, through V5_9_9 (611); then HIGHER_VERSION, which Java also answers for larger values.
 */
const V4_0_0_SNAPSHOT_ORDINAL = 212;
/** Ordinals per major: 10 minors × 10 patches × (snapshot, release). */
const ORDINALS_PER_MAJOR = 200;
const HIGHER_VERSION_ORDINAL = V4_0_0_SNAPSHOT_ORDINAL + 2 * ORDINALS_PER_MAJOR;

export function mqVersionDesc(ordinal: number): string {
  if (ordinal >= HIGHER_VERSION_ORDINAL) return 'HIGHER_VERSION';
  // 3.x names are not computable; the ordinal itself still identifies the client.
  if (ordinal < V4_0_0_SNAPSHOT_ORDINAL) return `V3(${ordinal})`;
  const n = ordinal - V4_0_0_SNAPSHOT_ORDINAL;
  const major = 4 + Math.floor(n / ORDINALS_PER_MAJOR);
  const inMajor = n % ORDINALS_PER_MAJOR;
  const minor = Math.floor(inMajor / 20);
  const patch = Math.floor((inMajor % 20) / 2);
  return `V${major}_${minor}_${patch}${inMajor % 2 === 0 ? '_SNAPSHOT' : ''}`;
}
