import { defineSettings, loadSettings } from '@letta/settings';
import { decryptSecret, encryptSecret } from '@letta/settings/crypto';
import { z } from 'zod';

async function main(): Promise<void> {
  const settings = loadSettings({ env: { LETTA_PG_POOL_SIZE: '10' }, dotenv: false });
  const billing = defineSettings({
    prefix: 'BILLING_',
    schema: z.object({ port: z.int().default(8080), stripeKey: z.string() }),
    secrets: ['stripeKey'],
  }).load({ env: { BILLING_PORT: '9000', BILLING_STRIPE_KEY: 'sk_live_123' }, dotenv: false });
  const stored = await encryptSecret('sk-live-123', 'my-master-key');
  const plain = await decryptSecret(stored, 'my-master-key');
  const port: number = billing.port;
  console.log(
    'ok settings',
    settings.pgPoolSize,
    settings.databaseEngine,
    port,
    `${billing.stripeKey}`,
    plain,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
