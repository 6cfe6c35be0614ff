import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PrometheusProcess, prometheusConfig, requireProgram, startPrometheus } from './index';

const prometheus = requireProgram('prometheus', 'apt-get install prometheus');

describe.skipIf(prometheus === null)('startPrometheus', () => {
  // A scrape target that serves one gauge and counts the scrapes it answered.
  let scrapes = 0;
  const target = createServer((request, response) => {
    scrapes++;
    const authorised = request.headers.authorization === 'Bearer token';
    response.writeHead(authorised ? 200 : 401, { 'content-type': 'text/plain; version=0.0.4' });
    response.end(authorised ? `# TYPE test_gauge gauge\ntest_gauge{kind="a"} 42\n` : '');
  });
  let server: PrometheusProcess;

  beforeAll(async () => {
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    const address = target.address();
    if (address === null || typeof address === 'string') throw new Error('no address');
    server = await startPrometheus(
      prometheus ?? '',
      prometheusConfig({
        jobs: [
          {
            name: 'fixture',
            targets: [`127.0.0.1:${address.port}`],
            labels: { pod: 'p-1' },
            bearerToken: 'token',
          },
        ],
      }),
    );
  });

  afterAll(async () => {
    await server?.stop();
    target.close();
  });

  it('scrapes its targets with the labels and token of the job, and answers instant queries', async () => {
    const [sample] = await server.waitForQuery('test_gauge');
    expect(sample).toEqual({
      labels: { __name__: 'test_gauge', kind: 'a', pod: 'p-1', job: 'fixture', instance: expect.any(String) },
      value: 42,
    });
    expect(scrapes).toBeGreaterThan(0);
    expect(await server.query('absent_metric')).toEqual([]);
  });

  it("rejects an expression Prometheus cannot parse with Prometheus' message", async () => {
    await expect(server.query('sum by (pod')).rejects.toThrow(
      /Prometheus rejected sum by \(pod: .*parse error/,
    );
  });
});
