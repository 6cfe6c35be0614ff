import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, parseAllDocuments, stringify } from 'yaml';

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

/**
 * Builds `overlay` with the autoscaler's maxReplicas changed, from a kustomization written in a new
 * directory under `scratch`, as a user's own overlay on top of ours would be: it repeats the overlay's
 * `replacements`, so INSTANCES follows the new maxReplicas.
 */
export function kustomizeScaledOverlay(
  kubectl: string,
  overlay: string,
  maxReplicas: number,
  scratch: string,
): Promise<KubernetesObject[]> {
  const overlayDir = join(KUBERNETES_DIR, 'overlays', overlay);
  const { replacements } = parse(readFileSync(join(overlayDir, 'kustomization.yaml'), 'utf8')) as {
    replacements?: unknown[];
  };
  const directory = mkdtempSync(join(scratch, `${overlay}-`));
  const kustomization = {
    // kustomize takes only relative paths to other kustomizations.
    resources: [relative(directory, overlayDir)],
    patches: [
      {
        target: { kind: 'HorizontalPodAutoscaler', name: 'letta-server' },
        patch: JSON.stringify([{ op: 'replace', path: '/spec/maxReplicas', value: maxReplicas }]),
      },
    ],
    replacements: replacements ?? [],
  };
  writeFileSync(join(directory, 'kustomization.yaml'), stringify(kustomization));
  return kustomizeBuild(kubectl, directory);
}
