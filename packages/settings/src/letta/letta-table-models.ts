import { type FieldTable, modelFromTable } from '../loader/field-table';
import type { SettingsModel } from '../loader/settings-model';
import { ADDRESS_LISTS, toAddress } from './host-port';
import lettaTable from './letta-field-table.json';
import testTable from './letta-test-field-table.json';

/** The schema's one transform: `host:port` items, which the loader has checked, become addresses. */
function readAddresses(values: Record<string, unknown>): void {
  for (const path of ADDRESS_LISTS) {
    const list = values[path];
    if (Array.isArray(list)) values[path] = list.map((item) => toAddress(String(item)));
  }
}

let settingsModel: SettingsModel | undefined;
let testSettingsModel: SettingsModel | undefined;

/** Letta's settings as `loadSettings` reads them: from the committed table, without zod. */
export function lettaTableModel(): SettingsModel {
  settingsModel ??= modelFromTable(lettaTable as FieldTable, readAddresses);
  return settingsModel;
}

/** Letta's test settings (`LETTA_TEST_*`) as `loadTestSettings` reads them. */
export function lettaTestTableModel(): SettingsModel {
  testSettingsModel ??= modelFromTable(testTable as FieldTable, readAddresses);
  return testSettingsModel;
}
