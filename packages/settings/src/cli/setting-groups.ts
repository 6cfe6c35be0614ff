import type { FieldSpec } from '../loader/setting-field';
import type { SettingsModel } from '../loader/settings-model';

/** A group of settings for generated docs: `Server` (the top level), `Telemetry`, `Logging`. */
export interface SettingGroup<F extends FieldSpec> {
  readonly name: string;
  /** The env prefix of the group, e.g. `LETTA_TELEMETRY_`. */
  readonly prefix: string;
  readonly fields: readonly F[];
}

/** A model's fields by group, top-level settings first. */
export function settingGroups<F extends FieldSpec>(model: SettingsModel<F>): SettingGroup<F>[] {
  const groups = new Map<string, F[]>();
  for (const field of model.fields) {
    const group = field.segments.slice(0, -1).join('.');
    groups.set(group, [...(groups.get(group) ?? []), field]);
  }
  return [...groups].map(([group, fields]) => ({
    name: group === '' ? 'Server' : `${group[0]?.toUpperCase()}${group.slice(1)}`,
    prefix: `${model.prefix}${group.replace(/\.|(?=[A-Z])/g, '_').toUpperCase()}${group === '' ? '' : '_'}`,
    fields,
  }));
}
