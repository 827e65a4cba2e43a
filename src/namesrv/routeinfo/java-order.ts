/** HashMap<Long, String> order for small non-negative ids (Long.hashCode(n) = n): ascending by id. */
export function sortedBrokerAddrs(addrs: ReadonlyMap<number, string>): Map<number, string> {
  return new Map([...addrs].sort((a, b) => a[0] - b[0]));
}
