import { createEngine } from '@letta/db-pool';
import { sql } from 'kysely';

async function main(): Promise<void> {
  const uri = process.env.LETTA_TEST_PG_URI ?? 'postgresql://postgres@127.0.0.1:5432/test';
  const engine = await createEngine({ kind: 'postgres', uri, poolSize: 2, maxOverflow: 1 });
  const { rows } = await sql<{ answer: number }>`select 6 * 7 as answer`.execute(engine.db);
  await engine.close();
  console.log('ok db-pool', rows[0]?.answer);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
