/**
 * A fault in DUIS input: what is wrong and where. The gateway turns each into a DUIS error response; it is never
 * shown as a stack trace.
 */
export class DuisInputError extends Error {
  constructor(
    message: string,
    /** Where in the document (an element path), when known. */
    readonly where?: string,
  ) {
    super(where === undefined ? message : `${where}: ${message}`);
    this.name = 'DuisInputError';
  }
}
