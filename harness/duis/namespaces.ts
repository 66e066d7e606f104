/** The three namespaces of DUIS 5.4 and the schema version the gateway writes on every response. */
export const NS = {
  sr: 'http://www.dccinterface.co.uk/ServiceUserGateway',
  ra: 'http://www.dccinterface.co.uk/ResponseAndAlert',
  ds: 'http://www.w3.org/2000/09/xmldsig#',
} as const;

/** The namespace of `xmlns:*` attributes themselves (DOM Level 2): how a declaration is set on a built element. */
export const XMLNS_NAMESPACE = 'http://www.w3.org/2000/xmlns/';

/** The namespace the `xml` prefix is bound to without a declaration (`xml:lang`). */
export const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';

/** Responses and SMETS1SignedResponse carry this `schemaVersion` (the DCC Boxed 5.4 samples do). */
export const RESPONSE_SCHEMA_VERSION = '5.4';
