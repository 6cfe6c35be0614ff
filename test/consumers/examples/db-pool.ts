import { createEngine, engineOptionsFromSettings } from '@letta/db-pool';
import { loadSettings } from '@letta/settings';
import { sql } from 'kysely';

async function main(): Promise<void> {
  const uri = process.env.LETTA_TEST_PG_URI ?? 'postgresql://postgres@127.0.0.1:5432/test';
  const settings = loadSettings({
    env: { LETTA_PG_URI: uri, LETTA_DISABLE_SQLALCHEMY_POOLING: 'false', LETTA_PG_POOL_SIZE: '2' },
    dotenv: false,
  });
  const engine = await createEngine(engineOptionsFromSettings(settings));
  const { rows } = await sql<{ answer: number }>`select 6 * 7 as answer`.execute(engine.db);
  await engine.close();
  console.log('ok db-pool', engine.kind, rows[0]?.answer);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
