import { loadSettings, type ReadinessSettings } from '@letta/settings';
import type { Gauge } from '@opentelemetry/api';
import { until } from '@test/support';
import { describe, expect, it } from 'vitest';
import { inProcessAgentLock } from '../src/agent-write-lock';
import { gatedAgentLock } from '../src/gated-agent-lock';
import { Readiness } from '../src/readiness';
import { ReadinessGates, startReadinessGates } from '../src/readiness-gates';

/** The readiness gauge's latest value per reason. */
function recordingGauge(): { gauge: Gauge; values: Map<string, number> } {
  const values = new Map<string, number>();
  const gauge = {
    record: (value: number, attributes?: { reason?: string }) =>
      values.set(String(attributes?.reason), value),
  };
  return { gauge: gauge as Gauge, values };
}

function readinessSettings(env: Record<string, string>): ReadinessSettings {
  return loadSettings({ env, dotenv: false, cwd: '/', home: '/nonexistent' }).readiness;
}

function readyServer() {
  const { gauge, values } = recordingGauge();
  const readiness = new Readiness(gauge);
  readiness.ready();
  return { readiness, gauge: values };
}

const WINDOWS = {
  LETTA_READINESS_ENFORCEMENT_ENABLED: 'true',
  LETTA_READINESS_DEGRADED_STABILIZATION_SECONDS: '30',
  LETTA_READINESS_RECOVERY_STABILIZATION_SECONDS: '15',
};

describe('readiness gates, on a clock the test moves', () => {
  function gatesAt(env: Record<string, string>) {
    const clock = { now: 0 };
    const server = readyServer();
    const gates = new ReadinessGates(
      readinessSettings({ ...WINDOWS, ...env }),
      server.readiness,
      () => clock.now,
    );
    const at = (seconds: number) => {
      clock.now = seconds * 1000;
      gates.tick();
      return server.readiness.state;
    };
    return { gates, at, ...server };
  }

  it('trips on foreground runs over the threshold only after the degraded window, recovers after the recovery window', () => {
    const { gates, at, gauge } = gatesAt({
      LETTA_READINESS_FG_IN_FLIGHT_GATING_ENABLED: 'true',
      LETTA_READINESS_FG_IN_FLIGHT_THRESHOLD: '2',
    });
    const ends = [1, 2, 3].map(() => gates.runStarted('foreground'));
    expect(at(29.9)).toBe('ready');
    expect(at(30)).toBe('degraded');
    expect(gauge.get('degraded')).toBe(1);
    expect(gauge.get('ready')).toBe(0);
    expect(at(31)).toBe('degraded');
    ends[0]?.();
    expect(at(45.9)).toBe('degraded');
    expect(at(46)).toBe('ready');
    expect(gauge.get('ready')).toBe(1);
  });

  it('trips on background runs, restarting the window when the count drops back in between', () => {
    const { gates, at } = gatesAt({
      LETTA_READINESS_BG_IN_FLIGHT_GATING_ENABLED: 'true',
      LETTA_READINESS_BG_IN_FLIGHT_THRESHOLD: '1',
    });
    const first = gates.runStarted('background');
    const second = gates.runStarted('background');
    expect(at(20)).toBe('ready');
    second();
    expect(at(25)).toBe('ready');
    const third = gates.runStarted('background');
    expect(at(54)).toBe('ready');
    expect(at(55)).toBe('degraded');
    first();
    third();
    expect(at(70)).toBe('ready');
  });

  it('trips on a long admission wait and recovers after short ones', () => {
    const { gates, at } = gatesAt({
      LETTA_READINESS_ADMISSION_WAIT_GATING_ENABLED: 'true',
      LETTA_READINESS_ADMISSION_WAIT_THRESHOLD_MS: '300',
    });
    gates.admissionWaited(450);
    expect(at(30)).toBe('degraded');
    gates.admissionWaited(5);
    expect(at(44)).toBe('degraded');
    expect(at(45)).toBe('ready');
  });

  it('stays degraded until every tripped gate has recovered', () => {
    const { gates, at } = gatesAt({
      LETTA_READINESS_FG_IN_FLIGHT_GATING_ENABLED: 'true',
      LETTA_READINESS_FG_IN_FLIGHT_THRESHOLD: '1',
      LETTA_READINESS_EVENT_LOOP_LAG_GATING_ENABLED: 'true',
    });
    const a = gates.runStarted('foreground');
    const b = gates.runStarted('foreground');
    gates.eventLoopLagged(6_000);
    expect(at(30)).toBe('degraded');
    a();
    b();
    expect(at(60)).toBe('degraded');
    gates.eventLoopLagged(0);
    expect(at(74)).toBe('degraded');
    expect(at(75)).toBe('ready');
  });

  it('does nothing with enforcement off, as in Letta by default, or for a gate left off', () => {
    expect(startReadinessGates(readinessSettings({}), readyServer().readiness)).toBeNull();
    const { gates, at } = gatesAt({ LETTA_READINESS_FG_IN_FLIGHT_THRESHOLD: '1' });
    gates.runStarted('foreground');
    gates.runStarted('foreground');
    gates.admissionWaited(10_000);
    gates.eventLoopLagged(60_000);
    expect(at(1_000)).toBe('ready');
  });

  it('leaves a draining server draining', () => {
    const { gates, at, readiness } = gatesAt({
      LETTA_READINESS_FG_IN_FLIGHT_GATING_ENABLED: 'true',
      LETTA_READINESS_FG_IN_FLIGHT_THRESHOLD: '1',
    });
    gates.runStarted('foreground');
    gates.runStarted('foreground');
    readiness.drain();
    expect(at(100)).toBe('draining');
  });
});

describe('readiness gates, on real time', () => {
  const FAST = {
    LETTA_READINESS_ENFORCEMENT_ENABLED: 'true',
    LETTA_READINESS_DEGRADED_STABILIZATION_SECONDS: '0',
    LETTA_READINESS_RECOVERY_STABILIZATION_SECONDS: '0.2',
  };

  /** A ready server whose gates (a 20 ms heartbeat) watch an in-process agent lock. */
  function gatedLock(env: Record<string, string>) {
    const { readiness } = readyServer();
    const gating = startReadinessGates(readinessSettings({ ...FAST, ...env }), readiness, 20);
    if (!gating) throw new Error('enforcement is on');
    return { readiness, gating, lock: gatedAgentLock(inProcessAgentLock(), gating.gates) };
  }

  /** A promise a run waits on until the test releases it. */
  function holdable(): { held: Promise<void>; release: () => void } {
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    return { held, release };
  }

  it('goes degraded when the event loop is blocked, and ready again after the recovery window', async () => {
    const { readiness } = readyServer();
    const settings = readinessSettings({
      ...FAST,
      LETTA_READINESS_EVENT_LOOP_LAG_GATING_ENABLED: 'true',
      LETTA_READINESS_EVENT_LOOP_LAG_THRESHOLD_MS: '100',
    });
    const gating = startReadinessGates(settings, readiness, 20);
    try {
      const blockedUntil = performance.now() + 400;
      while (performance.now() < blockedUntil) {
        // Blocks the event loop, as a synchronous hot path would.
      }
      await until('readiness degraded', () => readiness.state === 'degraded', 5_000, 5);
      await until('readiness ready', () => readiness.state === 'ready', 5_000, 5);
    } finally {
      gating?.close();
    }
  });

  it('goes degraded while foreground runs over the threshold are in flight through the agent lock', async () => {
    const { readiness, gating, lock } = gatedLock({
      LETTA_READINESS_FG_IN_FLIGHT_GATING_ENABLED: 'true',
      LETTA_READINESS_FG_IN_FLIGHT_THRESHOLD: '1',
    });
    try {
      const { held, release } = holdable();
      const runs = ['agent-1', 'agent-2'].map((agentId) => lock.run(agentId, () => held));
      await until('readiness degraded', () => readiness.state === 'degraded', 5_000, 5);
      expect(gating.gates.inFlight('foreground')).toBe(2);
      release();
      await Promise.all(runs);
      await until('readiness ready', () => readiness.state === 'ready', 5_000, 5);
    } finally {
      gating.close();
    }
  });

  it("goes degraded when a write waits long for an agent's lock, and recovers after uncontended writes", async () => {
    const { readiness, gating, lock } = gatedLock({
      LETTA_READINESS_ADMISSION_WAIT_GATING_ENABLED: 'true',
      LETTA_READINESS_ADMISSION_WAIT_THRESHOLD_MS: '20',
    });
    try {
      const { held, release } = holdable();
      const holder = lock.run('agent-1', () => held);
      const asked = performance.now();
      const waiter = lock.run('agent-1', async () => {});
      // The second write waits for the lock until the first releases it, 40 ms or more later.
      await until('40 ms after the question', () => performance.now() - asked >= 40, 5_000, 5);
      expect(readiness.state).toBe('ready');
      release();
      await Promise.all([holder, waiter]);
      expect(readiness.state).toBe('degraded');
      await lock.run('agent-2', async () => {});
      await until('readiness ready', () => readiness.state === 'ready', 5_000, 5);
    } finally {
      gating.close();
    }
  });
});
