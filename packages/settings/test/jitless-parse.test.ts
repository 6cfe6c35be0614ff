import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { lettaSettingsModel, lettaShape } from '../src/letta/letta-models';
import { setPath } from '../src/loader/resolve-settings';

/** Fixed, so that a failure reproduces; bounded, so that the suite stays fast in CI. */
const RUNS = { seed: 21, numRuns: 300 } as const;

const model = lettaSettingsModel();
/** The schema as zod parses it by default: compiled to a function on the first parse. */
const compiled = z.object(lettaShape);

/** Anything a loader or an override could hand over for a setting. */
const anyValue = fc.oneof(
  fc.integer({ min: -5, max: 70_000 }),
  fc.double(),
  fc.boolean(),
  fc.string({ maxLength: 12 }),
  fc.constantFrom('redis-1:26379', '[::1]:6379', 'postgresql://db/x', 'a=b:c', 'socket,postgres'),
  fc.constant(null),
  fc.array(fc.constantFrom('h:1', 'x', '[::1]:70000', 'socket'), { maxLength: 3 }),
);

/** The values the loader assembles, nested as the schema expects: the defaults, a few of them changed. */
const input = fc
  .dictionary(fc.nat({ max: model.fields.length - 1 }).map(String), anyValue, { maxKeys: 4 })
  .map((changed) => {
    const nested: Record<string, unknown> = {};
    model.fields.forEach((field, index) => {
      const value = String(index) in changed ? changed[String(index)] : field.default;
      setPath(nested, field.segments, structuredClone(value));
    });
    return nested;
  });

describe("the settings model's interpreted parse", () => {
  it('gives the output and the issues of the compiled parse, for any values of the settings', () => {
    let failed = 0;
    fc.assert(
      fc.property(input, (values) => {
        const interpreted = model.parse(structuredClone(values));
        const reference = compiled.safeParse(structuredClone(values));
        if (!reference.success) failed++;
        expect(interpreted.issues).toEqual(reference.success ? [] : reference.error.issues);
        expect(interpreted.data).toEqual(reference.success ? reference.data : values);
      }),
      RUNS,
    );
    console.log(`${RUNS.numRuns} inputs compared, ${failed} of them invalid`);
    expect(failed).toBeGreaterThan(0);
    expect(failed).toBeLessThan(RUNS.numRuns);
  });
});
