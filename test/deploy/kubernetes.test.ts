import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSettings } from '@letta/settings';
import { requireProgram } from '@test/support';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { manifestBudget } from './connection-budget';
import {
  findConfigMap,
  findObject,
  KUBERNETES_DIR,
  type KubernetesObject,
  kustomizeBuild,
  kustomizeScaledOverlay,
  OVERLAYS,
} from './kubernetes-manifests';
import { schemaErrors } from './kubernetes-schemas';
import { envValue, podEnvironment, serverContainer } from './pod-environment';

const LETTA_SETTINGS = fileURLToPath(
  new URL('../../packages/settings/bin/letta-settings.cjs', import.meta.url),
);

/** The server exits within this long of SIGTERM (examples/reference-server/src/main.ts, docs/operations.md). */
const SERVER_DRAIN_SECONDS = 10;

/** Env var names that hold secrets: the manifests may only name files that hold them (`NAME_FILE`). */
const SECRET_NAME = /PASSWORD|SECRET|TOKEN|_KEY$|_URIS?$|_URL$/;

const kubectl = requireProgram('kubectl', 'install kubectl, which includes kustomize');

function serverDeployment(objects: readonly KubernetesObject[]): IDeployment {
  return findObject<IDeployment>(objects, 'Deployment', 'letta-server');
}

function autoscaler(objects: readonly KubernetesObject[]): IHorizontalPodAutoscaler {
  return findObject<IHorizontalPodAutoscaler>(objects, 'HorizontalPodAutoscaler', 'letta-server');
}

describe.skipIf(kubectl === null)('deploy/kubernetes', () => {
  const builds = new Map<string, KubernetesObject[]>();
  const built = (overlay: string) => {
    const objects = builds.get(overlay);
    if (!objects) throw new Error(`the ${overlay} overlay was not built`);
    return objects;
  };
  let scratch = '';

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'letta-kubernetes-'));
    for (const overlay of OVERLAYS) {
      builds.set(overlay, await kustomizeBuild(kubectl ?? '', join(KUBERNETES_DIR, 'overlays', overlay)));
    }
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('has a small and a production overlay', () => {
    expect(OVERLAYS).toEqual(expect.arrayContaining(['small', 'production']));
  });

  it('reports schema errors, so the validation below can fail', () => {
    const deployment = serverDeployment(built('small'));
    const broken = {
      ...deployment,
      spec: { ...deployment.spec, replicas: 'two' },
    } as unknown as KubernetesObject;
    expect(schemaErrors(broken)).toEqual(['data/spec/replicas must be integer']);
    expect(schemaErrors({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } })).toEqual([
      'no schema for example.com/v1/Widget: add one to test/deploy/kubernetes-schemas.ts',
    ]);
  });

  describe.each(OVERLAYS)('the %s overlay', (overlay) => {
    it('builds objects that all validate against the Kubernetes OpenAPI schema', () => {
      const objects = built(overlay);
      const kinds = new Set(objects.map((object) => object.kind));
      for (const kind of [
        'Deployment',
        'Service',
        'PodDisruptionBudget',
        'HorizontalPodAutoscaler',
        'NetworkPolicy',
      ]) {
        expect(kinds).toContain(kind);
      }
      for (const object of objects) {
        expect(schemaErrors(object), `${object.kind} ${object.metadata.name}`).toEqual([]);
      }
    });

    it("selects the server's pods from the Service, PDB, NetworkPolicy and ServiceMonitor", () => {
      const objects = built(overlay);
      const selects = (selector: Record<string, string> | undefined, labels: Record<string, string>) =>
        selector !== undefined &&
        Object.keys(selector).length > 0 &&
        Object.entries(selector).every(([key, value]) => labels[key] === value);
      type Labels = Record<string, string>;
      const podLabels = serverDeployment(objects).spec?.template.metadata?.labels ?? {};
      const service = findObject<KubernetesObject & { spec: { selector: Labels } }>(
        objects,
        'Service',
        'letta-server',
      );
      expect(selects(service.spec.selector, podLabels)).toBe(true);
      type MatchingLabels = { spec: { selector: { matchLabels?: Labels } } };
      const budget = findObject<MatchingLabels>(objects, 'PodDisruptionBudget', 'letta-server');
      expect(selects(budget.spec.selector.matchLabels, podLabels)).toBe(true);
      type PodSelecting = { spec: { podSelector: { matchLabels?: Labels } } };
      const policy = findObject<PodSelecting>(objects, 'NetworkPolicy', 'letta-server');
      expect(selects(policy.spec.podSelector.matchLabels, podLabels)).toBe(true);
      for (const monitor of objects.filter((object) => object.kind === 'ServiceMonitor')) {
        const selector = (monitor as unknown as MatchingLabels).spec.selector.matchLabels;
        expect(selects(selector, service.metadata.labels ?? {})).toBe(true);
      }
    });

    it('runs the server as non-root on a read-only root filesystem, with requests and limits', () => {
      const objects = built(overlay);
      const pod = serverDeployment(objects).spec?.template.spec;
      const container = serverContainer(objects);
      expect(pod?.securityContext?.runAsNonRoot).toBe(true);
      expect(pod?.automountServiceAccountToken).toBe(false);
      expect(container.securityContext).toMatchObject({
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
      });
      for (const resource of ['cpu', 'memory']) {
        expect(container.resources?.requests?.[resource], `requests.${resource}`).toBeDefined();
        expect(container.resources?.limits?.[resource], `limits.${resource}`).toBeDefined();
      }
      // The paths the server writes (LETTA_DIR and the temp directory) are writable volumes.
      const mounts = container.volumeMounts?.map((mount) => mount.mountPath);
      expect(mounts).toEqual(expect.arrayContaining([envValue(container, 'LETTA_DIR'), '/tmp']));
    });

    it('probes liveness, readiness and startup, and drains within the grace period', () => {
      const objects = built(overlay);
      const container = serverContainer(objects);
      expect(container.livenessProbe?.httpGet?.path).toBe('/v1/health/');
      expect(container.readinessProbe?.httpGet?.path).toBe('/v1/ready/');
      expect(container.startupProbe?.httpGet?.path).toBe('/v1/health/');
      const preStop = container.lifecycle?.preStop?.exec?.command ?? [];
      expect(preStop[0]).toBe('sleep');
      const preStopSeconds = Number(preStop[1]);
      // The pod keeps serving while proxies learn it is gone: at least one readiness period.
      expect(preStopSeconds).toBeGreaterThanOrEqual(container.readinessProbe?.periodSeconds ?? 10);
      const grace = serverDeployment(objects).spec?.template.spec?.terminationGracePeriodSeconds ?? 30;
      expect(grace).toBeGreaterThan(preStopSeconds + SERVER_DRAIN_SECONDS);
      expect(serverDeployment(objects).spec?.strategy?.rollingUpdate?.maxUnavailable).toBe(0);
    });

    it('reads conf.yaml from a ConfigMap at LETTA_CONFIG_PATH and secrets only through _FILE variables', () => {
      const objects = built(overlay);
      const container = serverContainer(objects);
      const pod = serverDeployment(objects).spec?.template.spec;
      const configPath = envValue(container, 'LETTA_CONFIG_PATH') ?? '';
      const configMount = container.volumeMounts?.find((mount) => mount.mountPath === dirname(configPath));
      const configVolume = pod?.volumes?.find((volume) => volume.name === configMount?.name);
      expect(configVolume?.configMap?.name).toMatch(/^letta-config-/);
      expect(configPath.endsWith('/conf.yaml')).toBe(true);

      const secretMounts = (container.volumeMounts ?? []).filter(
        (mount) => pod?.volumes?.find((volume) => volume.name === mount.name)?.secret !== undefined,
      );
      for (const variable of container.env ?? []) {
        if (!SECRET_NAME.test(variable.name.replace(/_FILE$/, ''))) continue;
        expect(variable.name, 'a secret is set through NAME_FILE').toMatch(/_FILE$/);
        expect(
          variable.valueFrom,
          `${variable.name} names a file, it is not read from a Secret`,
        ).toBeUndefined();
        const inSecret = secretMounts.some((mount) => variable.value?.startsWith(`${mount.mountPath}/`));
        expect(inSecret, `${variable.name}=${variable.value} is in a mounted Secret`).toBe(true);
      }
      expect(envValue(container, 'LETTA_PG_PASSWORD_FILE')).toBeDefined();
      expect(envValue(container, 'LETTA_SERVER_PASSWORD_FILE')).toBeDefined();
      const confYaml = findConfigMap(objects, 'letta-config')?.data['conf.yaml'] ?? '';
      const keys = Object.keys((parse(confYaml) as { letta: Record<string, unknown> }).letta);
      expect(keys.filter((key) => SECRET_NAME.test(key.toUpperCase()))).toEqual([]);
    });

    it('loads settings from the mounted conf.yaml and secret files as the pod would', () => {
      const objects = built(overlay);
      const root = join(scratch, overlay);
      const env = podEnvironment(objects, root);
      const settings = loadSettings({ env, cwd: root, home: root, dotenv: false, unknownEnv: 'error' });
      expect(settings.pgPassword?.reveal()).toBe('value-of-LETTA_PG_PASSWORD_FILE');
      expect(settings.disableSqlalchemyPooling).toBe(false);
      const pgbouncer = findConfigMap(objects, 'letta-pgbouncer-config') !== undefined;
      expect(settings.pgHost).toBe(pgbouncer ? 'letta-pgbouncer' : 'postgres');
      expect(settings.pgPort).toBe(pgbouncer ? 6432 : 5432);
    });

    it("passes letta-settings validate --strict on the ConfigMap's conf.yaml", () => {
      const file = join(scratch, `${overlay}-conf.yaml`);
      writeFileSync(file, findConfigMap(built(overlay), 'letta-config')?.data['conf.yaml'] ?? '');
      const result = spawnSync(process.execPath, [LETTA_SETTINGS, 'validate', '--strict', file], {
        encoding: 'utf8',
      });
      expect(result.stdout + result.stderr).toContain('valid');
      expect(result.status, result.stdout + result.stderr).toBe(0);
    });

    it('autoscales on CPU and on toolkit metrics that the prometheus-adapter rules publish', () => {
      const spec = autoscaler(built(overlay)).spec;
      expect(spec?.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: 'letta-server' });
      const metrics = spec?.metrics ?? [];
      expect(metrics.some((metric) => metric.resource?.name === 'cpu')).toBe(true);
      const adapter = parse(
        readFileSync(join(KUBERNETES_DIR, 'prometheus-adapter', 'rules.yaml'), 'utf8'),
      ) as {
        rules: Array<{ name: { as: string } }>;
      };
      const published = adapter.rules.map((rule) => rule.name.as);
      const custom = metrics.flatMap((metric) => (metric.pods ? [metric.pods.metric.name] : []));
      expect(custom).toContain('db_client_connection_utilization');
      for (const name of custom) expect(published).toContain(name);
    });

    it("gives the server's budget check the autoscaler's maxReplicas as INSTANCES", () => {
      const objects = built(overlay);
      expect(envValue(serverContainer(objects), 'INSTANCES')).toBe(
        String(autoscaler(objects).spec?.maxReplicas),
      );
    });

    it('keeps the connection budget at full scale', () => {
      const budget = manifestBudget(built(overlay));
      expect(budget.problems).toEqual([]);
      expect(budget.needed).toBeLessThanOrEqual(budget.available);
    });
  });

  it('fails the budget of an overlay whose maxReplicas outgrows the database or PgBouncer', async () => {
    const scaledUp = async (overlay: string, maxReplicas: number) => {
      const objects = await kustomizeScaledOverlay(kubectl ?? '', overlay, maxReplicas, scratch);
      expect(envValue(serverContainer(objects), 'INSTANCES')).toBe(String(maxReplicas));
      return manifestBudget(objects);
    };

    const direct = await scaledUp('small', 10);
    expect(direct.problems).toEqual([
      '10 replicas × (pg_pool_size + pg_max_overflow = 15) = 150 connections, more than max_connections ' +
        'minus the reserved connections (87): lower maxReplicas or the pool, raise max_connections, or add ' +
        'the pgbouncer component',
    ]);
    const pooled = await scaledUp('production', 40);
    expect(pooled.problems).toEqual([
      "40 replicas × (pg_pool_size + pg_max_overflow = 15) = 600 client connections, more than PgBouncer's " +
        'max_client_conn (500)',
    ]);
    expect(pooled.pooler).toEqual({ needed: 80, available: 187 });
  });
});
