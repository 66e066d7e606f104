/** The complete pack shown in docs/packs.md loads, so the page stays true to the format. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePack } from '../../harness/packs';

describe('docs/packs.md', () => {
  it('its complete example pack loads: one scenario of five steps', () => {
    const blocks = [...readFileSync('docs/packs.md', 'utf8').matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
    const full = blocks.filter((block) => block.startsWith('# yaml-language-server') && block.includes('scenarios:'));
    expect(full).toHaveLength(1);
    const pack = parsePack(full[0]!, 'docs/packs.md');
    expect(pack.scenarios.map((s) => [s.name, s.steps.map((step) => step.kind)])).toEqual([
      ['fix off, 300 s is refused', ['stimulus', 'wait', 'sr', 'expect', 'expect']],
    ]);
  });
});
