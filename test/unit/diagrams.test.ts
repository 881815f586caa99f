import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtInVariants, mermaidOf } from '../../libs/process/src';

describe('diagrams in docs/diagrams', () => {
  it.each(builtInVariants.map((c) => [c.key, c] as const))(
    '%s is the diagram of its current machine (run npm run diagrams)',
    (key, config) => {
      const committed = readFileSync(join(__dirname, '..', '..', 'docs', 'diagrams', `${key}.mmd`), 'utf8');
      expect(committed).toBe(mermaidOf(config));
    },
  );

  it('shows every phase and the rules guarding a phase change', () => {
    const text = mermaidOf(builtInVariants[0]!);
    for (const phase of [
      'preparation',
      'information',
      'privateDeliberation',
      'presentation',
      'followUp',
      'closed',
    ]) {
      expect(text).toContain(phase);
    }
    expect(text).toMatch(/preparation --> information: conference\.opened \[.*coordinatorsAssigned.*\]/);
  });
});
