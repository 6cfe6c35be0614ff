// Writes every file generated from the settings schema (`pnpm generate` at the repository root).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { GENERATED_FILES } from './generated-files';

const root = fileURLToPath(new URL('../../../', import.meta.url));
for (const file of GENERATED_FILES) {
  writeFileSync(`${root}${file.path}`, file.render());
  console.log(`wrote ${file.path}`);
}
