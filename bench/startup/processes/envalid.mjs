// envalid with the same 100 fields as the bare-zod floor: the mark to chase.
import { bool, cleanEnv, num, str } from 'envalid';

const spec = {};
for (let i = 0; i < 100; i++) {
  const name = `APP_FIELD_${i}`;
  if (i % 3 === 0) spec[name] = str({ default: undefined });
  else if (i % 3 === 1) spec[name] = num({ default: i });
  else spec[name] = bool({ default: false });
}
const settings = cleanEnv(process.env, spec);
if (settings.APP_FIELD_1 !== 1) throw new Error('envalid read unexpected values');
