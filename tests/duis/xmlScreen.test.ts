/**
 * The screen of a DUIS text before any parser reads it (harness/duis/xmlDocument.ts screenXmlText): its size counted
 * in UTF-8 bytes, `<!DOCTYPE` found in any case of its ASCII letters and nowhere else. The gateway's side (E40, the
 * same words) is tests/duis/signatureParsing.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { screenXmlText } from '../../harness/duis/xmlDocument';

const refusalOf = (text: string) => {
  const screen = screenXmlText(text);
  return typeof screen === 'string' ? undefined : screen.refusal;
};

describe('the screen of a DUIS text', () => {
  it('passes a text unchanged when nothing in it is refused', () => {
    const text = '<?xml version="1.0"?>\n<!-- a note --><r><![CDATA[<!DOC]]></r>';
    expect(screenXmlText(text)).toBe(text);
  });

  it('finds a DOCTYPE in any mix of case, after other `<!`, and names its line and column', () => {
    expect(refusalOf('<r/>\n<!-- x --><!dOcTyPe r>')).toBe(
      'a DOCTYPE is not allowed in a DUIS document (DUIS has none), found at line 2, column 11',
    );
    expect(refusalOf('<!<!DOCTYPE r><r/>')).toBe(
      'a DOCTYPE is not allowed in a DUIS document (DUIS has none), found at line 1, column 3',
    );
  });

  it('takes nothing else for a DOCTYPE: a cut-short one, a look-alike letter, `<!` then a space', () => {
    expect(refusalOf('<r/><!DOCTYP')).toBeUndefined();
    // U+0395 GREEK CAPITAL LETTER EPSILON in place of the E; the parser refuses the `<!` itself
    expect(refusalOf('<!DOCTYP\u0395 r><r/>')).toBeUndefined();
    expect(refusalOf('<! DOCTYPE r><r/>')).toBeUndefined();
  });

  it('counts the size in UTF-8 bytes, not characters: three-byte characters fill 8 MiB in fewer than 2.8 M', () => {
    // 2,796,202 × 3 = 8,388,606 bytes: within 8,388,608
    expect(refusalOf('€'.repeat(2_796_202))).toBeUndefined();
    // 2,900,000 characters (far fewer than 8 M), 8,700,000 bytes
    expect(refusalOf(`<r>${'€'.repeat(2_900_000)}</r>`)).toBe('document larger than 8388608 bytes');
    expect(refusalOf(`<r>${'a'.repeat(8 * 1024 * 1024)}</r>`)).toBe('document larger than 8388608 bytes');
  });
});
