import { lettaReadsName } from '../letta/letta-file-keys';
import { LETTA_FOREIGN } from '../letta/letta-layers';
import { lettaSettingsModel } from '../letta/letta-models';
import { LETTA_SECTIONS } from './config-sections';
import { envExample } from './env-example';
import { configJsonSchema } from './json-schema';
import { referenceDocs } from './reference-docs';

/** The JSON Schema of Letta's config file, as committed in `schema.json`. */
export function lettaJsonSchema(): string {
  const schema = configJsonSchema(lettaSettingsModel(), LETTA_SECTIONS, LETTA_FOREIGN, lettaReadsName);
  return `${JSON.stringify(schema, null, 2)}\n`;
}

/** The Markdown reference, as committed in `docs/configuration.md`. */
export function lettaReferenceDocs(): string {
  return referenceDocs(lettaSettingsModel());
}

/** The `.env.example`, as committed in `packages/settings/.env.example`. */
export function lettaEnvExample(): string {
  return envExample(lettaSettingsModel());
}

export function schemaCommand(): number {
  process.stdout.write(lettaJsonSchema());
  return 0;
}

export function docsCommand(): number {
  process.stdout.write(lettaReferenceDocs());
  return 0;
}

export function envExampleCommand(): number {
  process.stdout.write(lettaEnvExample());
  return 0;
}
