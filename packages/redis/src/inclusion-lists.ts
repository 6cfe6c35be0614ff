/** Letta's placeholder member (`REDIS_SET_DEFAULT_VAL`), which makes an empty list exist. */
export const LIST_PLACEHOLDER = 'None';

/** The keys of a group's allow and deny sets. */
export function inclusionKeys(group: string): { include: string; exclude: string } {
  return { include: `${group}:include`, exclude: `${group}:exclude` };
}

/** What one check reads: `SMISMEMBER exclude member`, `SCARD include`, `SMISMEMBER include None member`. */
export interface ListReadings {
  excluded: boolean;
  includeSize: number;
  includeHoldsPlaceholder: boolean;
  included: boolean;
}

/**
 * Letta's intent, with its bugs fixed: an excluded member is refused; otherwise, when the include list
 * has real members, only those pass; otherwise everything passes. The placeholder is never a member.
 */
export function isAllowed(member: string, readings: ListReadings): boolean {
  const includeMembers = readings.includeSize - (readings.includeHoldsPlaceholder ? 1 : 0);
  if (member === LIST_PLACEHOLDER) return includeMembers === 0;
  if (readings.excluded) return false;
  return includeMembers === 0 || readings.included;
}
