// The zod floor: a bare object of 100 fields (strings, numbers, booleans, with defaults) read from the
// environment, as a hand-written settings module would be.
import { z } from 'zod';

const shape = {};
for (let i = 0; i < 100; i++) {
  const name = `APP_FIELD_${i}`;
  if (i % 3 === 0) shape[name] = z.string().optional();
  else if (i % 3 === 1) shape[name] = z.coerce.number().int().default(i);
  else shape[name] = z.stringbool().default(false);
}
const settings = z.object(shape).parse(process.env);
if (settings.APP_FIELD_1 !== 1) throw new Error('bare zod read unexpected values');
