import { z } from 'zod';
import { buildModel } from '../loader/build-model';
import type { SchemaFieldSpec } from '../loader/setting-field';
import type { SettingsModel } from '../loader/settings-model';
import { readinessShape, summarizerShape, toolAliases, toolShape } from './letta-groups-schema';
import { loggingShape, serverShape, telemetryShape } from './letta-schema';

export const SERVER_SECRETS = [
  'pgPassword',
  'pgUri',
  'pgReplicaUris',
  'pgDirectUri',
  'redisPassword',
  'redisUrl',
  'clickhousePassword',
  'mistralApiKey',
  'pineconeApiKey',
  'tpufApiKey',
  'encryptionKey',
  'defaultToken',
] as const;
export const SECRETS = [
  ...SERVER_SECRETS,
  'tool.e2bApiKey',
  'tool.modalTokenSecret',
  'tool.tavilyApiKey',
  'tool.exaApiKey',
] as const;

const SERVER_ALIASES = {
  objectStoreUri: ['LETTA_OBJECT_STORE_URI'],
  objectStoreProject: ['LETTA_OBJECT_STORE_PROJECT'],
  memfsServiceUrl: ['LETTA_MEMFS_SERVICE_URL'],
  clickhouseEndpoint: ['CLICKHOUSE_ENDPOINT', 'LETTA_CLICKHOUSE_ENDPOINT'],
  clickhouseDatabase: ['CLICKHOUSE_DATABASE', 'LETTA_CLICKHOUSE_DATABASE'],
  clickhouseUsername: ['CLICKHOUSE_USERNAME', 'LETTA_CLICKHOUSE_USERNAME'],
  clickhousePassword: ['CLICKHOUSE_PASSWORD', 'LETTA_CLICKHOUSE_PASSWORD'],
};

export const lettaShape = {
  ...serverShape,
  telemetry: z.object(telemetryShape),
  logging: z.object(loggingShape),
  tool: z.object(toolShape),
  summarizer: z.object(summarizerShape),
  readiness: z.object(readinessShape),
};
export const testShape = {
  ...serverShape,
  lettaDir: z
    .string()
    .default('~/.letta/test')
    .describe('Letta home directory for tests; "~" is the home directory'),
};

let settingsModel: SettingsModel<SchemaFieldSpec> | undefined;
let testSettingsModel: SettingsModel<SchemaFieldSpec> | undefined;

/**
 * The model of Letta's settings read from its zod schema: what the committed field table, the JSON Schema
 * and the docs are generated from. Loading uses the table, so that it never loads zod.
 */
export function lettaSettingsModel(): SettingsModel<SchemaFieldSpec> {
  settingsModel ??= buildModel({
    prefix: 'LETTA_',
    schema: z.object(lettaShape),
    secrets: SECRETS,
    aliases: {
      ...SERVER_ALIASES,
      lettaDir: ['LETTA_DIR'],
      'telemetry.datadogGitRepositoryUrl': ['DD_GIT_REPOSITORY_URL', 'DATADOG_GIT_REPOSITORY_URL'],
      'telemetry.datadogGitCommitSha': ['DD_GIT_COMMIT_SHA', 'DATADOG_GIT_COMMIT_SHA'],
      'telemetry.datadogMainPackage': ['DD_MAIN_PACKAGE', 'DATADOG_MAIN_PACKAGE'],
      'telemetry.socketPath': ['TELEMETRY_SOCKET', 'SOCKET_PATH'],
      ...toolAliases(),
    },
  });
  return settingsModel;
}

/** The model of Letta's test settings (`LETTA_TEST_*`). */
export function lettaTestSettingsModel(): SettingsModel<SchemaFieldSpec> {
  testSettingsModel ??= buildModel({
    prefix: 'LETTA_TEST_',
    schema: z.object(testShape),
    secrets: SERVER_SECRETS,
    aliases: { ...SERVER_ALIASES, lettaDir: ['LETTA_TEST_DIR'] },
  });
  return testSettingsModel;
}
