/** Writes docs/diagrams/<variant>.mmd for every built-in variant, generated from the machines. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtInVariants, mermaidOf } from '../libs/process/src';

export const diagramsDir = join(__dirname, '..', 'docs', 'diagrams');

mkdirSync(diagramsDir, { recursive: true });
for (const config of builtInVariants) {
  const file = join(diagramsDir, `${config.key}.mmd`);
  writeFileSync(file, mermaidOf(config));
  console.log(`wrote ${file}`);
}
