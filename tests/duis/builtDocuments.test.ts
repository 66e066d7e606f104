/**
 * The record of requests the harness built (harness/duis/builtDocuments.ts), keyed by their exact text: only a text
 * equal to a built one character for character is taken, once, and at most 1,024 are held. The trusting validator's
 * side of it is tests/migration/requestShapes.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { markBuilt, takeBuilt } from '../../harness/duis/builtDocuments';

const request = (n: number) => `<sr:Request xmlns:sr="urn:x"><sr:RequestID>a:b:${n}</sr:RequestID></sr:Request>`;

describe('built documents', () => {
  it('takes a text equal to a built one, built elsewhere, once; a text differing anywhere is not taken', () => {
    expect(markBuilt(request(1))).toBe(request(1));
    // the same characters in a string made separately (not the marked string itself)
    const copy = ['<sr:Request xmlns:sr="urn:x">', '<sr:RequestID>a:b:1</sr:RequestID>', '</sr:Request>'].join('');
    expect(takeBuilt(request(1).replace('a:b:1', 'a:b:1 '))).toBe(false);
    expect(takeBuilt(`${request(1)}\n`)).toBe(false);
    expect(takeBuilt(request(1).toUpperCase())).toBe(false);
    expect(takeBuilt(copy)).toBe(true);
    expect(takeBuilt(copy)).toBe(false);
  });

  it('a text built twice is taken twice (once per build), then no more', () => {
    markBuilt(request(2));
    markBuilt(['<sr:Request xmlns:sr="urn:x"><sr:RequestID>a:b:', '2</sr:RequestID></sr:Request>'].join(''));
    // the same length, one character different: an edit after building
    expect(takeBuilt(request(3))).toBe(false);
    expect(takeBuilt(request(2))).toBe(true);
    expect(takeBuilt(request(2))).toBe(true);
    expect(takeBuilt(request(2))).toBe(false);
  });

  it('holds at most 1,024: past that the oldest is forgotten (and would be validated)', () => {
    for (let n = 100; n < 100 + 1025; n++) markBuilt(request(n));
    expect(takeBuilt(request(100))).toBe(false);
    expect(takeBuilt(request(101))).toBe(true);
    expect(takeBuilt(request(100 + 1024))).toBe(true);
  });
});
