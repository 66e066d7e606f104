/** A state file's JSON as read, before the schema check: objects looked into by the legacy migrations. */
export type Json = Record<string, unknown>;

export const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A set record's snapshot with each device child's snapshot replaced by `migrate(src, snapshot)`; anything not of a
 * set's shape (for the schema to refuse) as it is. The one walk of the legacy migrations.
 */
export function mapChildSnapshots(
  setSnapshot: unknown,
  migrate: (src: unknown, snapshot: unknown) => unknown,
): unknown {
  if (!isObject(setSnapshot) || !isObject(setSnapshot.children)) return setSnapshot;
  const children: Json = {};
  for (const [eui, child] of Object.entries(setSnapshot.children))
    children[eui] = isObject(child) ? { ...child, snapshot: migrate(child.src, child.snapshot) } : child;
  return { ...setSnapshot, children };
}
