/** DER content bytes (hex) of the object identifiers this module reads or writes in certificates. */
export const OID = {
  organizationalUnitName: '55040b', // 2.5.4.11: carries the GBCS remote party role
  commonName: '550403', // 2.5.4.3
  x500UniqueIdentifier: '55042d', // 2.5.4.45: carries the party's 8-byte entity id
  ecdsaWithSha256: '2a8648ce3d040302', // 1.2.840.10045.4.3.2
  keyUsage: '551d0f', // 2.5.29.15
} as const;
