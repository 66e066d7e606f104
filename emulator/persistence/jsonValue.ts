/** A state file's JSON as read, before the schema check: objects looked into by the legacy migrations. */
export type Json = Record<string, unknown>;

export const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
