import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { requireService, until } from '@test/support';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminClient, lockHolder, taggedUri, uniqueLockKey, uniqueTag } from './helpers';

const hasPg = await requireService('postgres');

const RETRY_MS = 1_000;
const CHECK_MS = 300;
/** The longest a re-election may take (a retry, then the takeover wait), plus slack for a busy machine. */
const ELECTION_BOUND_MS = RETRY_MS + 2 * CHECK_MS + 3_000;

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const fixture = fileURLToPath(new URL('./fixtures/leader-process.mjs', import.meta.url));

interface LeaderEvent {
  event: 'ready' | 'lock-busy' | 'elected' | 'demoted';
  name: string;
  reason?: string;
  at: number;
}

interface Term {
  name: string;
  elected_at: Date;
  last_seen: Date;
  ended_at: Date | null;
}

describe.skipIf(!hasPg)('leader election across processes', () => {
  const key = uniqueLockKey();
  const table = `letta_leader_terms_${uniqueTag('t').replace(/-/g, '_')}`;
  const children = new Map<string, ChildProcess>();
  const events: LeaderEvent[] = [];
  let admin: pg.Client;

  function start(name: string): ChildProcess {
    const child = spawn(process.execPath, [fixture], {
      cwd: packageDir,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: {
        ...process.env,
        LEADER_URI: taggedUri(uniqueTag(`leader-${name}`)),
        LEADER_KEY: String(key),
        LEADER_TABLE: table,
        LEADER_RETRY_MS: String(RETRY_MS),
        LEADER_CHECK_MS: String(CHECK_MS),
        LEADER_NAME: name,
      },
    });
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      events.push({ ...(JSON.parse(line) as Omit<LeaderEvent, 'at'>), at: performance.now() });
    });
    children.set(name, child);
    return child;
  }

  /** The first event after `since` that matches, waiting up to `timeoutMs` for it. */
  async function next(
    match: (event: LeaderEvent) => boolean,
    since: number,
    timeoutMs = ELECTION_BOUND_MS,
  ): Promise<LeaderEvent> {
    const find = () => events.find((event) => event.at >= since && match(event));
    await until('a leader election event', () => find() !== undefined, timeoutMs);
    return find() as LeaderEvent;
  }

  /** Who leads, by the latest election event of each process still alive. */
  function leaders(): string[] {
    const latest = new Map<string, LeaderEvent['event']>();
    for (const { name, event } of events)
      if (event === 'elected' || event === 'demoted') latest.set(name, event);
    return [...latest]
      .filter(([name, event]) => event === 'elected' && alive(children.get(name)))
      .map(([name]) => name);
  }

  function alive(child: ChildProcess | undefined): boolean {
    return child !== undefined && child.exitCode === null && child.signalCode === null;
  }

  async function exit(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
    if (!alive(child)) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
  }

  beforeAll(async () => {
    if (!existsSync(new URL('../dist/index.js', import.meta.url))) {
      throw new Error(
        'These tests run the built package: run `pnpm build` first (the root `pnpm test` does).',
      );
    }
    admin = await adminClient();
    await admin.query(
      `create table ${table} (id serial primary key, name text not null, elected_at timestamptz not null, ` +
        'last_seen timestamptz not null, ended_at timestamptz)',
    );
  });
  afterAll(async () => {
    await Promise.all([...children.values()].map((child) => exit(child, 'SIGKILL')));
    await admin?.query(`drop table if exists ${table}`);
    await admin?.end();
  });

  it('elects exactly one leader, a new one after kill -9 or pg_terminate_backend, and terms never overlap', async () => {
    const start0 = performance.now();
    for (const name of ['a', 'b', 'c']) start(name);
    const first = await next((e) => e.event === 'elected', start0, 15_000);

    // Every follower tries (and fails) to take the lock at least once while the first leader leads.
    for (const name of ['a', 'b', 'c'].filter((other) => other !== first.name)) {
      await next((e) => e.event === 'lock-busy' && e.name === name, first.at);
    }
    expect(leaders()).toEqual([first.name]);
    const { rows: open } = await admin.query(`select name from ${table} where ended_at is null`);
    expect(open).toEqual([{ name: first.name }]);

    const killedAt = performance.now();
    await exit(children.get(first.name) as ChildProcess, 'SIGKILL');
    const second = await next((e) => e.event === 'elected', killedAt);
    expect(second.name).not.toBe(first.name);
    expect(second.at - killedAt).toBeLessThan(ELECTION_BOUND_MS);

    const terminatedAt = performance.now();
    const pid = await lockHolder(admin, key);
    expect(pid).toBeDefined();
    await admin.query('select pg_terminate_backend($1, 5000)', [pid]);
    const demoted = await next((e) => e.event === 'demoted', terminatedAt, 5_000);
    expect(demoted).toMatchObject({ name: second.name, reason: 'connection_lost' });
    const third = await next((e) => e.event === 'elected', terminatedAt);
    expect(third.at - terminatedAt).toBeLessThan(ELECTION_BOUND_MS);
    expect(leaders()).toEqual([third.name]);

    await Promise.all([...children.values()].map((child) => exit(child, 'SIGTERM')));
    expect(await lockHolder(admin, key)).toBeUndefined();
    const { rows: terms } = await admin.query<Term>(`select * from ${table} order by elected_at`);
    expect(terms.map((term) => term.name)).toEqual([first.name, second.name, third.name]);
    for (let i = 1; i < terms.length; i++) {
      const previous = terms[i - 1] as Term;
      const end = previous.ended_at ?? previous.last_seen;
      expect(end.getTime()).toBeLessThan((terms[i] as Term).elected_at.getTime());
    }
    expect(terms[0]?.ended_at).toBeNull();
    expect(terms[1]?.ended_at).not.toBeNull();
  });
});
