import { checkRedisTopology } from '@letta/core';
import { describe, expect, it } from 'vitest';

const sentinels = [{ host: 'sentinel-1', port: 26379 }];

describe('checkRedisTopology', () => {
  it('chooses nothing when no topology is set; null, undefined and empty lists count as unset', () => {
    expect(checkRedisTopology({})).toEqual({ choice: null, problems: [] });
    expect(
      checkRedisTopology({ host: null, url: undefined, sentinels: [], clusterNodes: [], sentinelName: null }),
    ).toEqual({ choice: null, problems: [] });
  });

  it('chooses the one topology that is set', () => {
    expect(checkRedisTopology({ host: 'cache' })).toEqual({ choice: 'host', problems: [] });
    expect(checkRedisTopology({ url: 'redis://cache' })).toEqual({ choice: 'url', problems: [] });
    expect(checkRedisTopology({ sentinels, sentinelName: 'main' })).toEqual({
      choice: 'sentinels',
      problems: [],
    });
    expect(checkRedisTopology({ clusterNodes: sentinels })).toEqual({ choice: 'clusterNodes', problems: [] });
  });

  it('reports a second topology as conflicting with the first', () => {
    expect(checkRedisTopology({ url: 'redis://cache', clusterNodes: sentinels }).problems).toEqual([
      { rule: 'one-topology', field: 'clusterNodes', conflictsWith: 'url' },
    ]);
  });

  it('needs a Sentinel name with Sentinels, and only with them', () => {
    expect(checkRedisTopology({ sentinels }).problems).toEqual([
      { rule: 'sentinel-name-required', field: 'sentinels' },
    ]);
    expect(checkRedisTopology({ host: 'cache', sentinelName: 'main' }).problems).toEqual([
      { rule: 'sentinel-name-only-with-sentinels', field: 'sentinelName' },
    ]);
  });

  it('reports every broken rule at once', () => {
    expect(checkRedisTopology({ host: 'cache', sentinels }).problems).toEqual([
      { rule: 'one-topology', field: 'sentinels', conflictsWith: 'host' },
      { rule: 'sentinel-name-required', field: 'sentinels' },
    ]);
  });
});
