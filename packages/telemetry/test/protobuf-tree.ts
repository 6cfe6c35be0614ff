/**
 * Decodes protobuf bytes without a schema into a comparable tree: fields by number, each with its values
 * in order. A length-delimited value that parses as a message becomes a subtree, else hex. Zero scalars
 * and empty values (an empty message too) are left out, since proto3 treats a zero written out and a zero left out alike, so
 * two encoders agree on a tree exactly when a schema-aware decoder would read the same message.
 */
export type ProtobufTree = { [field: number]: ProtobufNode[] };
export type ProtobufNode = string | ProtobufTree;

export function protobufTree(bytes: Uint8Array): ProtobufTree {
  const tree = tryTree(bytes);
  if (!tree) throw new Error('not a protobuf message');
  return tree;
}

function tryTree(bytes: Uint8Array): ProtobufTree | undefined {
  const fields = new Map<number, ProtobufNode[]>();
  let offset = 0;
  const varint = (): bigint | undefined => {
    let value = 0n;
    for (let shift = 0n; offset < bytes.length && shift < 70n; shift += 7n) {
      const byte = bytes[offset++] as number;
      value |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) return value;
    }
    return undefined;
  };
  const take = (length: number) => {
    if (offset + length > bytes.length) return undefined;
    const slice = bytes.subarray(offset, offset + length);
    offset += length;
    return slice;
  };
  while (offset < bytes.length) {
    const key = varint();
    if (key === undefined) return undefined;
    const field = Number(key >> 3n);
    if (field < 1) return undefined;
    let node: ProtobufNode | undefined;
    switch (Number(key & 7n)) {
      case 0: {
        const value = varint();
        if (value === undefined) return undefined;
        if (value !== 0n) node = `varint ${value}`;
        break;
      }
      case 1:
      case 5: {
        const raw = take(Number(key & 7n) === 1 ? 8 : 4);
        if (!raw) return undefined;
        if (raw.some((byte) => byte !== 0)) node = `fixed ${Buffer.from(raw).toString('hex')}`;
        break;
      }
      case 2: {
        const length = varint();
        const raw = length === undefined ? undefined : take(Number(length));
        if (!raw) return undefined;
        const subtree = tryTree(raw);
        if (subtree === undefined) node = `bytes ${Buffer.from(raw).toString('hex')}`;
        else if (Object.keys(subtree).length > 0) node = subtree;
        break;
      }
      default:
        return undefined;
    }
    if (node === undefined) continue;
    const values = fields.get(field) ?? [];
    values.push(node);
    fields.set(field, values);
  }
  return Object.fromEntries([...fields].sort(([a], [b]) => a - b));
}
