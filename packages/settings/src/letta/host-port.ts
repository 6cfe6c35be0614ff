/** `host:port` with a port from 1 to 65535; an IPv6 host is bracketed. */
export const HOST_PORT =
  /^\s*(?:\[([0-9a-fA-F:.]+)\]|([^\s:[\]]+)):(6553[0-5]|655[0-2]\d|65[0-4]\d{2}|6[0-4]\d{3}|[1-5]\d{4}|[1-9]\d{0,3})\s*$/;

/** A `host:port` that `HOST_PORT` accepted, as the address it names. */
export function toAddress(value: string): { host: string; port: number } {
  const [, ipv6, name, port] = HOST_PORT.exec(value) ?? [];
  return { host: ipv6 ?? name ?? '', port: Number(port) };
}

/** The settings whose items are `host:port` text, read as addresses. */
export const ADDRESS_LISTS = ['redisSentinels', 'redisClusterNodes'] as const;
