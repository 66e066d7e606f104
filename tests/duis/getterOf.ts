/**
 * The getter that reads `name` of `object`, its own or its prototype's (undefined when it is a plain value or absent):
 * the tests of lazily written texts hold that every object of a kind reads its text through one function. An object
 * literal's getter is a new function for each object, which gives each its own map (hidden class) in V8, at some µs
 * apiece (responses.ts BuiltTree).
 */
export function getterOf(object: object, name: string): unknown {
  for (let at: object | null = object; at !== null; at = Object.getPrototypeOf(at) as object | null) {
    const descriptor = Object.getOwnPropertyDescriptor(at, name);
    if (descriptor !== undefined) return descriptor.get;
  }
  return undefined;
}
