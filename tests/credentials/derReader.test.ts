import { describe, expect, it } from 'vitest';
import { readElement, readTime } from '../../common/credentials/derReader';
import { time } from '../../common/credentials/derWriter';
import { CredentialError } from '../../common/credentials/errors';

const decodeTime = (der: Buffer) => readTime(der, readElement(der, 0, der.length), 'time');
const utcTime = (text: string) => Buffer.concat([Buffer.from([0x17, text.length]), Buffer.from(text, 'latin1')]);

describe('X.509 Time', () => {
  it('reads UTCTime years 50–99 as 19xx and 00–49 as 20xx (RFC 5280)', () => {
    expect(decodeTime(utcTime('500101000000Z'))).toBe(Date.UTC(1950, 0, 1));
    expect(decodeTime(utcTime('491231235959Z'))).toBe(Date.UTC(2049, 11, 31, 23, 59, 59));
  });

  it('writes UTCTime up to 2049 and GeneralizedTime from 2050, and reads both back', () => {
    const in2049 = Date.UTC(2049, 11, 31, 23, 59, 59);
    const in2050 = Date.UTC(2050, 0, 1);
    expect(time(in2049)[0]).toBe(0x17);
    expect(time(in2050)[0]).toBe(0x18);
    expect(decodeTime(time(in2049))).toBe(in2049);
    expect(decodeTime(time(in2050))).toBe(in2050);
  });

  it('refuses impossible dates and non-DER forms', () => {
    expect(() => decodeTime(utcTime('251332000000Z'))).toThrow(CredentialError);
    expect(() => decodeTime(utcTime('250230000000Z'))).toThrow(/not a real date/);
    expect(() => decodeTime(utcTime('2510290000Z'))).toThrow(/not a DER UTCTime/); // no seconds
    expect(() => decodeTime(utcTime('251029000000+0100'))).toThrow(/not a DER UTCTime/);
  });
});

describe('readElement', () => {
  it('reads long-form lengths', () => {
    const der = Buffer.concat([Buffer.from([0x04, 0x82, 0x01, 0x00]), Buffer.alloc(256)]);
    expect(readElement(der, 0, der.length)).toEqual({ tag: 0x04, start: 4, end: 260 });
  });
  it('refuses an element longer than its container', () => {
    expect(() => readElement(Buffer.from([0x04, 0x05, 0x00]), 0, 3)).toThrow(/claims 5 bytes, past its container/);
  });
  it('refuses multi-byte tags', () => {
    expect(() => readElement(Buffer.from([0x1f, 0x81, 0x00]), 0, 3)).toThrow(/multi-byte tag/);
  });
});
