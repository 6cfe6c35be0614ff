// The floor for the reference server's `/v1/health/`: a bare Fastify app with the same route and router
// options, no hooks, no metrics. Prints the line the benchmark harness waits for.
import Fastify from 'fastify';

const app = Fastify({ logger: false, routerOptions: { ignoreTrailingSlash: true } });
app.get('/v1/health/', async () => ({ status: 'ok', version: '0.0.0' }));
const address = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`bare Fastify listening on ${address}\n`);
process.once('SIGTERM', () => app.close().then(() => process.exit(0)));
