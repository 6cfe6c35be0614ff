import { redactUri, Secret } from '@letta/core';

const password = new Secret('hunter2');
const shown = `${password} ${JSON.stringify({ password })} ${redactUri('postgresql://letta:hunter2@db/letta')}`;
if (shown.includes('hunter2')) throw new Error(`a secret leaked: ${shown}`);
console.log('ok core', shown);
