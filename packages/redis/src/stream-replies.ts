import type { StreamEntry, StreamInfo, StreamReadResult } from './redis-client';

/** A stream entry as RESP2 delivers it: the id and a flat `[field, value, …]` list. */
export type RawStreamEntry = [id: string, fields: string[] | null];

/** `XREAD`'s RESP2 reply: per stream, its name and its entries; `null` when nothing arrived. */
export type RawStreamRead = [stream: string, entries: RawStreamEntry[]][] | null;

export function toEntry([id, flat]: RawStreamEntry): StreamEntry {
  const fields: Record<string, string> = {};
  if (flat) {
    for (let i = 0; i + 1 < flat.length; i += 2) setField(fields, flat[i] as string, flat[i + 1] as string);
  }
  return { id, fields };
}

export function toEntries(raw: RawStreamEntry[]): StreamEntry[] {
  return raw.map(toEntry);
}

export function toReadResults(raw: RawStreamRead): StreamReadResult[] {
  if (!raw) return [];
  return raw.map(([stream, entries]) => ({ stream, messages: toEntries(entries) }));
}

/** Turns `XINFO STREAM`'s flat `[name, value, …]` reply into an object with camelCase keys. */
export function toStreamInfo(flat: unknown[]): StreamInfo {
  const info: Record<string, unknown> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const name = String(flat[i]).replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
    const value = flat[i + 1];
    if (name === 'firstEntry' || name === 'lastEntry')
      info[name] = value ? toEntry(value as RawStreamEntry) : null;
    else info[name] = value;
  }
  return info as unknown as StreamInfo;
}

// Field names come from stored data; a plain assignment of `__proto__` would replace the prototype.
function setField(fields: Record<string, string>, name: string, value: string): void {
  if (name === '__proto__') {
    Object.defineProperty(fields, name, { value, enumerable: true, writable: true, configurable: true });
  } else {
    fields[name] = value;
  }
}
