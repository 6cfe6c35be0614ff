import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

export const KUBERNETES_DIR = fileURLToPath(new URL('../../deploy/kubernetes/', import.meta.url));

/** The overlays users apply, one directory each under deploy/kubernetes/overlays. */
export const OVERLAYS = readdirSync(`${KUBERNETES_DIR}overlays`, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

/** One object of a kustomize build, with the fields every Kubernetes object has. */
export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

/** Runs `kubectl kustomize DIR` and parses the objects it prints; rejects with kubectl's message. */
export function kustomizeBuild(kubectl: string, directory: string): Promise<KubernetesObject[]> {
  const child = spawn(kubectl, ['kustomize', directory], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      if (code !== 0) {
        reject(new Error(`kubectl kustomize ${directory} failed (exit ${code}):\n${stderr}`));
        return;
      }
      const documents = parseAllDocuments(stdout);
      resolve(
        documents.map((document) => {
          if (document.errors.length > 0) throw document.errors[0];
          return document.toJS() as KubernetesObject;
        }),
      );
    });
  });
}

/** The one object of `kind` named `name`; throws naming what is missing. */
export function findObject<T = KubernetesObject>(
  objects: readonly KubernetesObject[],
  kind: string,
  name: string,
): T {
  const found = objects.filter((object) => object.kind === kind && object.metadata.name === name);
  if (found.length !== 1) throw new Error(`expected one ${kind} named ${name}, found ${found.length}`);
  return found[0] as T;
}

/** A generated ConfigMap, found by the name before kustomize appended its content hash. */
export function findConfigMap(
  objects: readonly KubernetesObject[],
  name: string,
): { data: Record<string, string> } | undefined {
  return objects.find(
    (object) =>
      object.kind === 'ConfigMap' && new RegExp(`^${name}(-[a-z0-9]{10})?$`).test(object.metadata.name),
  ) as { data: Record<string, string> } | undefined;
}
