import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { RedisAddress } from '@letta/redis';
import { type RedisServerProcess, startRedisServer, until } from '@test/support';
import { Redis } from 'ioredis';

const run = promisify(execFile);

const at = (server: RedisServerProcess): RedisAddress => ({ host: '127.0.0.1', port: server.port });

/** Runs `use` on a short-lived connection to `server`. */
async function connected<T>(server: RedisAddress, use: (client: Redis) => Promise<T>): Promise<T> {
  const client = new Redis({
    ...server,
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    return await use(client);
  } finally {
    client.disconnect();
  }
}

/** Runs one command on a short-lived connection to `server`. */
export function ask(server: RedisAddress, ...command: (string | number)[]): Promise<unknown> {
  return connected(server, (client) => client.call(String(command[0]), ...command.slice(1)));
}

/**
 * Whether a replica of `primary` acknowledges a new write (`WAIT 1`). A replica that has just
 * synchronised can take a moment longer than its "online" state in `INFO` to do so.
 */
export function replicaAcknowledges(primary: RedisAddress): Promise<boolean> {
  return connected(primary, async (client) => {
    await client.set('letta-redis-test:probe', '1');
    return (await client.wait(1, 100)) === 1;
  });
}

/**
 * One primary, one replica and three Sentinels (quorum 2) on free loopback ports, with short failure
 * detection, so a killed primary is replaced within a few seconds.
 */
export interface SentinelTopology {
  readonly name: string;
  readonly primary: RedisServerProcess;
  readonly replica: RedisServerProcess;
  readonly sentinels: readonly RedisServerProcess[];
  readonly sentinelAddresses: readonly RedisAddress[];
  /** The primary the Sentinels currently name. */
  currentPrimary(): Promise<RedisAddress>;
  stop(): Promise<void>;
}

export interface SentinelTopologyOptions {
  /** `down-after-milliseconds`: how long a silent primary takes to be judged down. */
  downAfterMs?: number;
  /** `failover-timeout`: also the pause before a failed election is retried (twice this). */
  failoverTimeoutMs?: number;
}

/** A primary and a replica of it, with their files in a temporary directory. */
export interface ReplicatedPair {
  readonly primary: RedisServerProcess;
  readonly replica: RedisServerProcess;
  /** Whether the replica acknowledges the primary's writes, so `WAIT` counts it. */
  inSync(): Promise<boolean>;
  stop(): Promise<void>;
}

export async function startReplicatedPair(): Promise<ReplicatedPair> {
  const dir = await mkdtemp(join(tmpdir(), 'letta-redis-replication-'));
  // The replica writes the primary's snapshot to its directory; the sync starts at once.
  const args = ['--dir', dir, '--repl-diskless-sync-delay', '0'];
  const primary = await startRedisServer(args);
  const replica = await startRedisServer([...args, '--replicaof', '127.0.0.1', String(primary.port)]);
  const inSync = () => replicaAcknowledges(at(primary));
  try {
    await until('replica in sync', inSync);
  } catch (error) {
    await stopAll([primary, replica], dir);
    throw error;
  }
  return { primary, replica, inSync, stop: () => stopAll([primary, replica], dir) };
}

export async function startSentinelTopology({
  downAfterMs = 1_000,
  failoverTimeoutMs = 2_000,
}: SentinelTopologyOptions = {}): Promise<SentinelTopology> {
  const name = 'letta-primary';
  const dir = await mkdtemp(join(tmpdir(), 'letta-redis-sentinel-'));
  const pair = await startReplicatedPair();
  const { primary, replica } = pair;
  const sentinels: RedisServerProcess[] = [];
  const stop = async () => {
    await Promise.all([pair.stop(), stopAll(sentinels, dir)]);
  };
  try {
    for (let i = 0; i < 3; i++) {
      const configFile = join(dir, `sentinel-${i}.conf`);
      await writeFile(configFile, '');
      const sentinel = await startRedisServer(
        [
          '--sentinel',
          ...['--sentinel', 'monitor', name, '127.0.0.1', String(primary.port), '2'],
          ...['--sentinel', 'down-after-milliseconds', name, String(downAfterMs)],
          ...['--sentinel', 'failover-timeout', name, String(failoverTimeoutMs)],
        ],
        { configFile },
      );
      sentinels.push(sentinel);
    }
    // A failover needs every Sentinel to know the replica and a majority to know each other.
    for (const sentinel of sentinels) {
      await until('Sentinels know the replica and each other', async () => {
        const master = pairs((await ask(at(sentinel), 'SENTINEL', 'MASTER', name)) as string[]);
        return master['num-slaves'] === '1' && master['num-other-sentinels'] === '2';
      });
    }
    const sentinelAddresses = sentinels.map(at);
    return {
      name,
      primary,
      replica,
      sentinels,
      sentinelAddresses,
      async currentPrimary() {
        for (const sentinel of sentinelAddresses) {
          const reply = await ask(sentinel, 'SENTINEL', 'GET-MASTER-ADDR-BY-NAME', name).catch(() => null);
          if (Array.isArray(reply)) return { host: String(reply[0]), port: Number(reply[1]) };
        }
        throw new Error('no Sentinel answered');
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A cluster of masters without replicas, created with `redis-cli --cluster create`. */
export interface ClusterTopology {
  readonly nodes: readonly RedisServerProcess[];
  readonly startupNodes: readonly RedisAddress[];
  /** The hash slot of `key` (`CLUSTER KEYSLOT`). */
  slotOf(key: string): Promise<number>;
  /** The node that serves `slot` now. */
  ownerOf(slot: number): Promise<RedisAddress>;
  /**
   * Starts moving `slot` to the node `to`, as `redis-cli --cluster reshard` does, in steps the caller
   * controls: `move(keys)` migrates some keys (the rest stay behind, so the client meets ASK), and
   * `finish()` migrates the rest and assigns the slot to `to` everywhere (the client meets MOVED).
   */
  migrate(slot: number, to: RedisAddress): Promise<SlotMigration>;
  stop(): Promise<void>;
}

export interface SlotMigration {
  move(...keys: string[]): Promise<void>;
  finish(): Promise<void>;
}

export async function startCluster(masters = 3): Promise<ClusterTopology> {
  const dir = await mkdtemp(join(tmpdir(), 'letta-redis-cluster-'));
  const nodes: RedisServerProcess[] = [];
  try {
    await formCluster(dir, masters, nodes);
    const startupNodes = nodes.map(at);
    const seed = startupNodes[0] as RedisAddress;
    const ownerOf = async (slot: number) => {
      const ranges = (await ask(seed, 'CLUSTER', 'SLOTS')) as [number, number, [string, number]][];
      const range = ranges.find(([first, last]) => slot >= first && slot <= last);
      if (!range) throw new Error(`slot ${slot} is not served`);
      return { host: range[2][0], port: range[2][1] };
    };
    return {
      nodes,
      startupNodes,
      slotOf: async (key) => Number(await ask(seed, 'CLUSTER', 'KEYSLOT', key)),
      ownerOf,
      migrate: async (slot, to) => startMigration(slot, await ownerOf(slot), to, startupNodes),
      stop: () => stopAll(nodes, dir),
    };
  } catch (error) {
    await stopAll(nodes, dir);
    throw error;
  }
}

/** Starts `masters` cluster-enabled servers (into `nodes`, for the caller to stop) and joins them. */
async function formCluster(dir: string, masters: number, nodes: RedisServerProcess[]): Promise<void> {
  for (let i = 0; i < masters; i++) {
    nodes.push(
      await startRedisServer([
        ...['--cluster-enabled', 'yes', '--dir', dir],
        ...['--cluster-config-file', join(dir, `nodes-${i}.conf`), '--cluster-node-timeout', '2000'],
      ]),
    );
  }
  const addresses = nodes.map(at);
  await run('redis-cli', [
    '--cluster',
    'create',
    ...addresses.map(({ host, port }) => `${host}:${port}`),
    '--cluster-replicas',
    '0',
    '--cluster-yes',
  ]);
  for (const node of addresses) {
    await until('cluster state ok', async () => (await clusterInfo(node)).cluster_state === 'ok');
  }
}

async function startMigration(
  slot: number,
  from: RedisAddress,
  to: RedisAddress,
  startupNodes: readonly RedisAddress[],
): Promise<SlotMigration> {
  const [fromId, toId] = await Promise.all(
    [from, to].map(async (node) => String(await ask(node, 'CLUSTER', 'MYID'))),
  );
  await ask(to, 'CLUSTER', 'SETSLOT', slot, 'IMPORTING', fromId as string);
  await ask(from, 'CLUSTER', 'SETSLOT', slot, 'MIGRATING', toId as string);
  const move = async (...keys: string[]) => {
    if (keys.length > 0) await ask(from, 'MIGRATE', to.host, to.port, '', 0, 5_000, 'KEYS', ...keys);
  };
  return {
    move,
    async finish() {
      await move(...((await ask(from, 'CLUSTER', 'GETKEYSINSLOT', slot, 1_000)) as string[]));
      for (const node of [to, from, ...startupNodes]) {
        await ask(node, 'CLUSTER', 'SETSLOT', slot, 'NODE', toId as string);
      }
    },
  };
}

async function clusterInfo(node: RedisAddress): Promise<Record<string, string>> {
  const text = String(await ask(node, 'CLUSTER', 'INFO'));
  return Object.fromEntries(text.split('\r\n').map((line) => line.split(':') as [string, string]));
}

function pairs(flat: string[]): Record<string, string> {
  const object: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) object[flat[i] as string] = flat[i + 1] as string;
  return object;
}

async function stopAll(servers: readonly RedisServerProcess[], dir: string): Promise<void> {
  await Promise.all(servers.map((server) => server.stop()));
  await rm(dir, { recursive: true, force: true });
}
