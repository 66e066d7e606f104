/**
 * The DUIS service request variants the bench carries (README "DUIS": the SRs in scope), written out by hand so the
 * tests check the service catalogue and the RTDS template runs against a list of their own, not the catalogue's.
 */
// prettier-ignore
export const CARRIED_SRVS = [
  '8.11', '8.7.1', '8.7.2', '8.8.1', '8.8.2', '8.9', '8.1.1',
  '6.15.1', '6.23', '6.5', '6.12', '6.22', '6.7', '6.13', '6.11',
  '4.10', '4.1.1', '7.1', '7.2', '7.3', '7.4', '1.6', '2.2',
];
