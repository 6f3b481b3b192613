// What the public verifier may fetch. Anyone can make it open a URL, so it must not become a
// way into the server's own network (server-side request forgery): a host whose name resolves
// to a loopback, private, link-local or otherwise non-public address is refused, unless an
// operator listed it (BADGEONS_FETCH_ALLOW_HOSTS). The scheme rule (https only) is the core's.
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

const blocked = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24],
  ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) blocked.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['2001:db8::', 32], ['64:ff9b::', 96], ['100::', 64],
] as const) blocked.addSubnet(network, prefix, 'ipv6');

export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return !blocked.check(address, 'ipv4');
  if (family !== 6) return false;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return isPublicAddress(mapped[1]!);
  return !blocked.check(address, 'ipv6');
}

/**
 * The `allowUrl` hook for DocumentResolver. Checks every address the name resolves to.
 * (Known gap: fetch resolves the name again; a DNS answer that changes in between is not caught.)
 */
export function publicUrlGuard(allowHosts: string[]): (url: URL) => Promise<boolean> {
  const allowed = new Set(allowHosts);
  return async (url) => {
    if (allowed.has(url.host.toLowerCase())) return true;
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host)) return isPublicAddress(host);
    try {
      const addresses = await lookup(host, { all: true, verbatim: true });
      return addresses.length > 0 && addresses.every((a) => isPublicAddress(a.address));
    } catch {
      return false;
    }
  };
}
