import type { Secret } from '@letta/core';
import type { z } from 'zod';

/** The fields of a settings schema: a zod shape whose nested objects are groups. */
export type SettingsShape = Readonly<Record<string, z.ZodType>>;

type GroupShape<T> = T extends { readonly shape: infer Inner extends SettingsShape } ? Inner : never;

/** Every setting's dot path in a shape, e.g. `'port' | 'telemetry.enabled'`. */
export type FieldPath<S extends SettingsShape, P extends string = ''> = {
  [K in keyof S & string]: [GroupShape<S[K]>] extends [never]
    ? `${P}${K}`
    : FieldPath<GroupShape<S[K]>, `${P}${K}.`>;
}[keyof S & string];

/** A value whose strings became `Secret`s. */
export type Secretized<V> = V extends string
  ? Secret
  : V extends readonly (infer E)[]
    ? readonly Secretized<E>[]
    : V;

/** A deeply read-only view, the shape of every loaded (and frozen) settings object. */
export type DeepReadonly<V> = V extends Secret
  ? V
  : V extends readonly (infer E)[]
    ? readonly DeepReadonly<E>[]
    : V extends object
      ? { readonly [K in keyof V]: DeepReadonly<V[K]> }
      : V;

/** The loaded settings for a shape: zod's output types, with `Secret` at the secret paths. */
export type SettingsOf<S extends SettingsShape, Secrets extends string, P extends string = ''> = {
  readonly [K in keyof S & string]: [GroupShape<S[K]>] extends [never]
    ? `${P}${K}` extends Secrets
      ? Secretized<z.output<S[K]>>
      : DeepReadonly<z.output<S[K]>>
    : SettingsOf<GroupShape<S[K]>, Secrets, `${P}${K}.`>;
};

/** Overrides for a shape: any subset of the settings, as input values; secrets may be given as `Secret`s. */
export type SettingsOverrides<S extends SettingsShape, Secrets extends string, P extends string = ''> = {
  readonly [K in keyof S & string]?: [GroupShape<S[K]>] extends [never]
    ? `${P}${K}` extends Secrets
      ? z.input<S[K]> | Secretized<z.input<S[K]>>
      : z.input<S[K]>
    : SettingsOverrides<GroupShape<S[K]>, Secrets, `${P}${K}.`>;
};
