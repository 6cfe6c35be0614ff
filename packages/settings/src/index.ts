export { Secret } from '@letta/core';
export type { PluginRegistration } from './letta/letta-derived';
export {
  getSettings,
  type LoadSettingsOptions,
  type LoadTestSettingsOptions,
  type LogSettings,
  loadSettings,
  loadTestSettings,
  type ReadinessSettings,
  resetSettings,
  type Settings,
  type SummarizerSettings,
  type TelemetrySettings,
  type TestSettings,
  type ToolSettings,
} from './letta/letta-settings';
export {
  type DefineSettingsOptions,
  defineSettings,
  type SettingsDefinition,
} from './loader/define-settings';
export { explain, type SettingExplanation } from './loader/explain';
export type { LoadOptions } from './loader/load-options';
export type { SettingField, ValueKind } from './loader/setting-field';
export { SettingsError, type SettingsIssue } from './loader/settings-error';
export type { FieldPath, SettingsOf, SettingsOverrides, SettingsShape } from './loader/settings-types';
export type { SettingSource } from './loader/value-origin';
