import { DatabaseUriError, parseDatabaseUri, type SecretLike } from '@letta/core';
import type { Resolution } from '../loader/resolve-settings';
import { issueAt, readFromFile, type ValueOrigin } from '../loader/value-origin';

/** The reason a URI cannot be used, as `parseDatabaseUri` words it: only its redacted form is shown. */
function uriProblem(uri: SecretLike, origin: ValueOrigin): string | undefined {
  try {
    parseDatabaseUri(uri);
    return undefined;
  } catch (error) {
    if (!(error instanceof DatabaseUriError)) throw error;
    if (readFromFile(origin))
      return 'is not a Postgres URI that can be used (the value is not shown: it was read from a file); expected postgresql://user:password@host:5432/database';
    return error.issues[0]?.message ?? error.message;
  }
}

function originOf(resolution: Resolution, path: string): ValueOrigin {
  return resolution.origins.get(path) ?? { source: 'default', envVar: path };
}

function check(resolution: Resolution, path: string, uri: SecretLike, item?: number): void {
  const origin = originOf(resolution, path);
  const problem = uriProblem(uri, origin);
  if (problem === undefined) return;
  const prefix = item === undefined ? '' : `item ${item + 1}: `;
  resolution.issues.push(issueAt(path, origin, `${prefix}${problem}`));
}

/**
 * Parses every Postgres URI of the settings with the rules `@letta/db-pool` applies when it connects
 * (core's `parseDatabaseUri`), so that a URI the engine would refuse at start-up is refused at load,
 * and by `letta-settings validate`. A URI built from the `LETTA_PG_*` parts is checked against the host.
 */
export function checkDatabaseUris(resolution: Resolution): void {
  const { values } = resolution;
  const uri = values.pgUri as SecretLike | null;
  if (uri !== null) check(resolution, 'pgUri', uri);
  else if (values.lettaPgUriNoDefault) check(resolution, 'pgHost', values.lettaPgUriNoDefault as SecretLike);
  const direct = values.pgDirectUri as SecretLike | null;
  if (direct !== null) check(resolution, 'pgDirectUri', direct);
  const replicas = (values.pgReplicaUris as readonly SecretLike[] | null) ?? [];
  for (const [index, replica] of replicas.entries()) check(resolution, 'pgReplicaUris', replica, index);
}
