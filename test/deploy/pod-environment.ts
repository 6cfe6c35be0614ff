import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { IContainer } from 'kubernetes-models/v1/Container';
import { findConfigMap, findObject, type KubernetesObject } from './kubernetes-manifests';

interface DeploymentShape {
  spec: { template: { spec: { containers: IContainer[] } } };
}

/** The server container of the built letta-server Deployment. */
export function serverContainer(objects: readonly KubernetesObject[]): IContainer {
  const deployment = findObject<DeploymentShape>(objects, 'Deployment', 'letta-server');
  const container = deployment.spec.template.spec.containers.find((candidate) => candidate.name === 'server');
  if (!container) throw new Error('the letta-server Deployment has no container named server');
  return container;
}

/** The plain value of the container's env var `name`. */
export function envValue(container: IContainer, name: string): string | undefined {
  return container.env?.find((variable) => variable.name === name)?.value;
}

/**
 * The server container's environment as the pod would see it, with its files laid out under `root`:
 * conf.yaml from the ConfigMap at LETTA_CONFIG_PATH, and for each `NAME_FILE` variable a file holding
 * `secrets[NAME_FILE]` (or a placeholder). Paths in the environment point into `root`.
 */
export function podEnvironment(
  objects: readonly KubernetesObject[],
  root: string,
  secrets: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const container = serverContainer(objects);
  const rooted = (path: string) => join(root, path);
  const write = (path: string, text: string) => {
    mkdirSync(dirname(rooted(path)), { recursive: true });
    writeFileSync(rooted(path), text);
  };
  const confYaml = findConfigMap(objects, 'letta-config')?.data['conf.yaml'];
  if (confYaml === undefined) throw new Error('no letta-config ConfigMap with a conf.yaml');
  const env: Record<string, string> = {};
  for (const variable of container.env ?? []) {
    if (variable.value === undefined) continue;
    if (variable.name === 'LETTA_CONFIG_PATH') write(variable.value, confYaml);
    else if (variable.name.endsWith('_FILE'))
      write(variable.value, `${secrets[variable.name] ?? `value-of-${variable.name}`}\n`);
    const isPath = variable.name === 'LETTA_CONFIG_PATH' || variable.name.endsWith('_FILE');
    env[variable.name] = isPath ? rooted(variable.value) : variable.value;
  }
  return env;
}
