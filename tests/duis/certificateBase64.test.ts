import { describe, expect, it } from 'vitest';
import { certificateBase64 } from '../../harness/duis/certificateBase64';

describe('certificateBase64', () => {
  it('writes a DER held as hex in base64, whatever the case of the hex', () => {
    // 30 82 01 0a: a SEQUENCE header; ff ee dd: bytes whose base64 uses + and /
    expect(certificateBase64('3082010a')).toBe('MIIBCg==');
    expect(certificateBase64('ffeedd')).toBe('/+7d');
    expect(certificateBase64('FFEEDD')).toBe('/+7d');
  });

  it('holds at most 16 certificates, and gives the same text for one asked again after it was forgotten', () => {
    const first = certificateBase64('00');
    for (let i = 1; i <= 40; i++) certificateBase64(i.toString(16).padStart(4, '0'));
    expect(certificateBase64.size).toBe(16);
    expect(certificateBase64('00')).toBe(first);
    expect(first).toBe('AA==');
  });
});
