/** Errors of the protocol layer. Each names what was wrong and where (message, field, byte offset). */
export class EncodeError extends Error {
  override name = 'EncodeError';
}

export class DecodeError extends Error {
  override name = 'DecodeError';
  constructor(
    message: string,
    /** Why, as a NAK reason a receiver can send back. */
    readonly reason: 'unknownMessage' | 'malformedPayload' | 'badLength' | 'unsupportedVersion' | 'badCrc',
  ) {
    super(message);
  }
}
