// A DuisOutput made from a built response leaves its text unwritten until someone reads it (a migration reads only
// trees), then hands over exactly the builder's text.
import { describe, expect, it } from 'vitest';
import type { Document } from '../../harness/duis/dom/nodes';
import { duisOutput } from '../../harness/s1sp/adapter';
import { getterOf } from '../duis/getterOf';

function countedResponse(text: string) {
  const reads = { xml: 0 };
  const tree = {} as Document;
  return {
    reads,
    tree,
    response: {
      get xml() {
        reads.xml += 1;
        return text;
      },
      document: () => tree,
    },
  };
}

describe('duisOutput', () => {
  it('does not read the text when made, and reads it through when asked', () => {
    const { reads, tree, response } = countedResponse('<sr:Response/>');
    const output = duisOutput('device-alert', response, 1_700_000_000_000, 'throttle report: 2 alert(s) held back');
    expect(reads.xml).toBe(0);
    expect(output.kind).toBe('device-alert');
    expect(output.at).toBe(1_700_000_000_000);
    expect(output.note).toBe('throttle report: 2 alert(s) held back');
    expect(output.document?.()).toBe(tree);
    expect(reads.xml).toBe(0);
    expect(output.xml).toBe('<sr:Response/>');
    expect(reads.xml).toBe(1);
  });

  it('has no note unless given one, and keeps the text when spread (a spread reads it)', () => {
    const { reads, response } = countedResponse('<x/>');
    const output = duisOutput('response', response, 5);
    expect('note' in output).toBe(false);
    expect({ ...output, note: 'later' }.xml).toBe('<x/>');
    expect(reads.xml).toBe(1);
  });
});

describe('duisOutput text getter', () => {
  it('is one function for every output, an own enumerable property of each (getterOf)', () => {
    const first = duisOutput('response', countedResponse('<a/>').response, 1);
    const second = duisOutput('error', countedResponse('<b/>').response, 2, 'n');
    expect(typeof getterOf(first, 'xml')).toBe('function');
    expect(getterOf(second, 'xml')).toBe(getterOf(first, 'xml'));
    expect(Object.keys(second)).toEqual(['kind', 'xml', 'document', 'at', 'note']);
  });
});
