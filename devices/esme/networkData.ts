/**
 * The average RMS voltage profile that SR 4.10 (`readNetworkData`) reads: one record per network-data interval
 * (30 minutes by default, so 30 days = 1,440 records), oldest dropped beyond the profile's retention.
 * A record's `at` is the END of its interval: the instant its average became known.
 */
export interface NetworkDataRecord {
  at: number;
  averageRmsVoltage: number;
}

export function appendRecord(
  records: readonly NetworkDataRecord[],
  record: NetworkDataRecord,
  retention: number,
): NetworkDataRecord[] {
  // One copy of the references per interval (at full retention, 1,440 every 30 minutes per meter), not two (a slice,
  // then a spread into another array). The array itself stays a new one: older snapshots keep theirs.
  const next = records.slice(Math.max(0, records.length + 1 - retention));
  next.push(record);
  return next;
}

/** Records with `from <= at <= to` (both ends inclusive), oldest first. */
export function recordsBetween(records: readonly NetworkDataRecord[], from: number, to: number): NetworkDataRecord[] {
  return records.filter((record) => record.at >= from && record.at <= to);
}
