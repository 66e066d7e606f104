/**
 * A fault in DUIS input: what is wrong and where. The gateway turns each into a DUIS error response; it is never
 * shown as a stack trace.
 */
export class DuisInputError extends Error {
  constructor(
    /** What is wrong, without where. */
    readonly detail: string,
    /** Where in the document (an element path), when known. */
    readonly where?: string,
  ) {
    super(where === undefined ? detail : `${where}: ${detail}`);
    this.name = 'DuisInputError';
  }
}
