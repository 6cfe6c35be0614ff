/** Kysely's runtime, loaded with the first engine: importing the package does not load it. */
export type KyselyModule = typeof import('kysely');

let kysely: Promise<KyselyModule> | undefined;

export function loadKysely(): Promise<KyselyModule> {
  kysely ??= import('kysely');
  return kysely;
}
