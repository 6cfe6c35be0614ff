import { parse } from 'yaml';
import { findConfigMap, findObject, type KubernetesObject } from './kubernetes-manifests';

/** The connection budget of one built overlay at full scale: what its replicas need and what they may use. */
export interface ManifestBudget {
  readonly maxReplicas: number;
  /** `pg_pool_size + pg_max_overflow` of the server's conf.yaml. */
  readonly perReplica: number;
  /** `maxReplicas × perReplica`. */
  readonly needed: number;
  /** PgBouncer's `max_client_conn`, or `max_connections - reserved_connections` without PgBouncer. */
  readonly available: number;
  /** With PgBouncer: its replicas × (default_pool_size + reserve_pool_size), against the database. */
  readonly pooler?: { readonly needed: number; readonly available: number };
  /** Every way the overlay breaks the budget, as sentences; empty when it holds. */
  readonly problems: readonly string[];
}

interface HpaShape {
  spec: { maxReplicas: number };
}
interface DeploymentShape {
  spec: { replicas?: number };
}

function wholeNumber(value: unknown, what: string): number {
  const number = typeof value === 'string' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isSafeInteger(number) || number < 0) {
    throw new Error(`${what}: expected a whole number, got ${JSON.stringify(value)}`);
  }
  return number;
}

/** The `key = value` settings of one section of an ini file such as pgbouncer.ini. */
function iniSection(text: string, section: string): Map<string, string> {
  const values = new Map<string, string>();
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith(';') || line.startsWith('#')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) current = header[1] ?? '';
    else if (current === section) {
      const [key, ...rest] = line.split('=');
      values.set((key ?? '').trim(), rest.join('=').trim());
    }
  }
  return values;
}

/**
 * Computes the budget from the built objects: the autoscaler's maxReplicas, the pool of the server's
 * conf.yaml (its `letta` section), and either the database limits in the `letta-connection-budget`
 * ConfigMap or, with the PgBouncer component, PgBouncer's limits (whose own pools must then fit the
 * database).
 */
export function manifestBudget(objects: readonly KubernetesObject[]): ManifestBudget {
  const maxReplicas = findObject<HpaShape>(objects, 'HorizontalPodAutoscaler', 'letta-server').spec
    .maxReplicas;
  const confYaml = findConfigMap(objects, 'letta-config')?.data['conf.yaml'];
  if (confYaml === undefined) throw new Error('no letta-config ConfigMap with a conf.yaml');
  const letta = (parse(confYaml) as { letta?: Record<string, unknown> }).letta ?? {};
  if (letta.disable_sqlalchemy_pooling !== false) {
    throw new Error('conf.yaml must set letta.disable_sqlalchemy_pooling: false for a bounded pool');
  }
  const perReplica =
    wholeNumber(letta.pg_pool_size, 'letta.pg_pool_size') +
    wholeNumber(letta.pg_max_overflow, 'letta.pg_max_overflow');
  const needed = maxReplicas * perReplica;

  const limits = findConfigMap(objects, 'letta-connection-budget')?.data;
  if (limits === undefined) throw new Error('no letta-connection-budget ConfigMap');
  const database =
    wholeNumber(limits.max_connections, 'max_connections') -
    wholeNumber(limits.reserved_connections, 'reserved_connections');

  const problems: string[] = [];
  const pgbouncerIni = findConfigMap(objects, 'letta-pgbouncer-config')?.data['pgbouncer.ini'];
  if (pgbouncerIni === undefined) {
    if (needed > database) {
      problems.push(
        `${maxReplicas} replicas × (pg_pool_size + pg_max_overflow = ${perReplica}) = ${needed} connections, ` +
          `more than max_connections minus the reserved connections (${database}): lower maxReplicas or ` +
          'the pool, raise max_connections, or add the pgbouncer component',
      );
    }
    return { maxReplicas, perReplica, needed, available: database, problems };
  }

  const pgbouncer = iniSection(pgbouncerIni, 'pgbouncer');
  const maxClientConn = wholeNumber(pgbouncer.get('max_client_conn'), 'pgbouncer max_client_conn');
  const poolerReplicas =
    findObject<DeploymentShape>(objects, 'Deployment', 'letta-pgbouncer').spec.replicas ?? 1;
  const perPooler =
    wholeNumber(pgbouncer.get('default_pool_size'), 'pgbouncer default_pool_size') +
    wholeNumber(pgbouncer.get('reserve_pool_size') ?? '0', 'pgbouncer reserve_pool_size');
  const poolerNeeded = poolerReplicas * perPooler;
  if (needed > maxClientConn) {
    problems.push(
      `${maxReplicas} replicas × (pg_pool_size + pg_max_overflow = ${perReplica}) = ${needed} client ` +
        `connections, more than PgBouncer's max_client_conn (${maxClientConn})`,
    );
  }
  if (poolerNeeded > database) {
    problems.push(
      `${poolerReplicas} PgBouncer replicas × (default_pool_size + reserve_pool_size = ${perPooler}) = ` +
        `${poolerNeeded} connections, more than max_connections minus the reserved connections (${database})`,
    );
  }
  return {
    maxReplicas,
    perReplica,
    needed,
    available: maxClientConn,
    pooler: { needed: poolerNeeded, available: database },
    problems,
  };
}
