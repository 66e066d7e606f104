/**
 * The value a UTRN (DUIS 2.2 TopUpDevice, 20 decimal digits) carries, as the S1SP turns it into the ESME's `topUp`.
 *
 * Assumed, not public: SMETS1 meters took their SMSO's own top-up tokens, whose formats were never published, and the
 * GBCS UTRN (a MAC-protected PTUT) is a SMETS2 format a SMETS1 meter does not read. So the bench's UTRN is plain: its
 * last five digits are the credit in pence (00000–99999), the first fifteen a token reference nothing checks. A UTRN
 * of 0 p or over the meter's top-up limit reaches the meter and is refused there (invalidParameter); a UTRN used
 * twice tops up twice (no token counter is modelled).
 */
const VALUE_DIGITS = 5;

/** Pence, from a schema-valid UTRN (20 digits). */
export function utrnPence(utrn: string): number {
  if (!/^\d{20}$/.test(utrn)) throw new Error(`UTRN "${utrn}" is not 20 decimal digits`);
  return Number(utrn.slice(-VALUE_DIGITS));
}
