export { type DefineSettingsConfig, defineSettings, type SettingsDefinition } from './define-settings';
export { explain, type SettingExplanation } from './explain';
export type { PluginRegistration } from './letta-derived';
export {
  getSettings,
  type LoadSettingsOptions,
  type LoadTestSettingsOptions,
  type LogSettings,
  loadSettings,
  loadTestSettings,
  resetSettings,
  type Settings,
  type TelemetrySettings,
  type TestSettings,
} from './letta-settings';
export type { LoadOptions } from './load-options';
export { Secret } from './secret';
export type { SettingField, ValueKind } from './setting-field';
export { SettingsError, type SettingsIssue } from './settings-error';
export type { FieldPath, SettingsOf, SettingsOverrides, SettingsShape } from './settings-types';
export type { SettingSource } from './value-origin';
