import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';

type YamlLoader = () => typeof Yaml;

let load: YamlLoader = () => createRequire(import.meta.url)('yaml') as typeof Yaml;
let yaml: typeof Yaml | undefined;

/** yaml, loaded with the first YAML file: a load that finds none never pays for it. */
export function loadYaml(): typeof Yaml {
  yaml ??= load();
  return yaml;
}

/** Where a program that ships its own copy of yaml (a bundled bin) loads it from, when it is first needed. */
export function provideYaml(loader: YamlLoader): void {
  load = loader;
}
