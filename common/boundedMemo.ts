/**
 * A memo of a pure function with a bound on what it holds: certificates are parsed per signed command, per slot
 * check and per S1SP response, nearly always the same few, but a peer can present ever new ones, so past `limit`
 * entries the oldest is forgotten (and computed afresh if it comes again). A computation that throws is not
 * remembered: the next call throws again, naming what is wrong.
 *
 * `args` reach `compute` on a miss as they are (objects the value is made from, such as an issuer's key); the key
 * alone decides a hit, so it must name everything the value depends on.
 */
export function boundedMemo<V, A extends unknown[] = []>(
  limit: number,
  compute: (key: string, ...args: A) => V,
): { (key: string, ...args: A): V; readonly size: number } {
  const held = new Map<string, V>();
  const memo = (key: string, ...args: A): V => {
    if (held.has(key)) return held.get(key)!;
    const value = compute(key, ...args);
    held.set(key, value);
    if (held.size > limit) held.delete(held.keys().next().value!);
    return value;
  };
  return Object.defineProperty(memo, 'size', { get: () => held.size }) as typeof memo & { readonly size: number };
}
