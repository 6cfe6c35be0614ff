import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';

let yaml: typeof Yaml | undefined;

/** yaml, loaded with the first YAML file: a load that finds none never pays for it. */
export function loadYaml(): typeof Yaml {
  yaml ??= createRequire(import.meta.url)('yaml') as typeof Yaml;
  return yaml;
}

/** Hands over a yaml module that is loaded already, e.g. one bundled into a program. */
export function provideYaml(module: typeof Yaml): void {
  yaml = module;
}
