// What the public verifier may fetch. Anyone can make it open a URL, so it must not become a
// way into the server's own network (server-side request forgery): a host whose name resolves
// to a loopback, private, link-local or otherwise non-public address is refused, unless an
// operator listed it (BADGEONS_FETCH_ALLOW_HOSTS). The scheme rule (https only) is the core's.
// The name is checked twice: before fetching, for a clear refusal, and again at connect time on
// the very addresses the socket uses, so that a DNS answer changed in between (DNS rebinding)
// cannot slip a private address through.
import dns from 'node:dns';
import { lookup } from 'node:dns/promises';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { Agent, fetch as undiciFetch } from 'undici';

// Two lists: Node's BlockList also matches IPv4 addresses against IPv6 rules through their mapped
// form, so ::ffff:0:0/96 in a shared list would block every IPv4 address.
const blocked = new BlockList();
const blocked6 = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24],
  ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) blocked.addSubnet(network, prefix, 'ipv4');
// IPv6 forms that embed an IPv4 address (IPv4-compatible ::/96, IPv4-mapped ::ffff:0:0/96, in dotted
// or hex notation alike, e.g. ::ffff:7f00:1 for 127.0.0.1) are refused whole: a public server is not
// reached that way, and the embedded address could be anything.
for (const [network, prefix] of [
  ['::', 96], ['::ffff:0:0', 96], ['::1', 128], ['fc00::', 7], ['fec0::', 10], ['fe80::', 10], ['ff00::', 8], ['2001:db8::', 32],
  ['64:ff9b::', 96], ['64:ff9b:1::', 48], ['100::', 64],
] as const) blocked6.addSubnet(network, prefix, 'ipv6');

export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return !blocked.check(address, 'ipv4');
  return family === 6 && !blocked6.check(address, 'ipv6');
}

/** The `allowUrl` hook for DocumentResolver. Checks every address the name resolves to. */
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

/** A refused address, as DocumentResolver recognises it in a failed fetch's cause. */
const forbidden = (hostname: string) => Object.assign(new Error(`${hostname} resolves to a non-public address`), { code: 'URL_FORBIDDEN' });

/** net.connect's lookup, refusing a name if any of its addresses is not public. */
const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, '', 0);
    if (addresses.length === 0 || addresses.some((a) => !isPublicAddress(a.address))) return callback(forbidden(hostname), '', 0);
    if (options.all) return (callback as unknown as (e: null, all: dns.LookupAddress[]) => void)(null, addresses);
    callback(null, addresses[0]!.address, addresses[0]!.family);
  });
};

const dispatcher = new Agent({ connect: { lookup: publicOnlyLookup } });

/**
 * The `fetch` hook for DocumentResolver: connects only to public addresses, checked on the
 * addresses the socket connects to (IP literals never reach a lookup; `publicUrlGuard` has them).
 * Hosts an operator allowed go through the plain fetch.
 */
export function publicFetch(allowHosts: string[]): (url: URL, init: RequestInit) => Promise<Response> {
  const allowed = new Set(allowHosts);
  return async (url, init) => {
    if (allowed.has(url.host.toLowerCase())) return fetch(url, init);
    return (await undiciFetch(url, { ...(init as object), dispatcher })) as unknown as Response;
  };
}
