// Which address a request comes from, for sign-in throttling. X-Forwarded-For is believed only
// when the socket peer is one of DOSSIER_TRUSTED_PROXIES (IPs or CIDRs, comma-separated): anyone
// else could write any address there and escape throttling by changing it on every try.
import { BlockList, isIP } from 'node:net';

/** "1.2.3.4", "1.2.3.4:80", "[::1]:80", "::ffff:1.2.3.4" → one canonical spelling; null if not an IP. */
export function canonicalIp(text: string): string | null {
  let ip = text.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(ip);
  if (bracketed) ip = bracketed[1]!;
  else if (/^[\d.]+:\d+$/.test(ip)) ip = ip.slice(0, ip.indexOf(':'));
  const family = isIP(ip);
  if (family === 4) return ip;
  if (family !== 6) return null;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  // The URL parser writes IPv6 in its shortest form (RFC 5952), so "0:0::1" and "::1" are one
  // address; a zone ("%eth0") names the interface, not the peer.
  return new URL(`http://[${ip.replace(/%.*$/, '')}]/`).hostname.slice(1, -1);
}

const familyOf = (ip: string) => (isIP(ip) === 4 ? 'ipv4' : 'ipv6');

/** Parses DOSSIER_TRUSTED_PROXIES; an entry that is not an IP or CIDR stops the server at start. */
export function parseTrustedProxies(spec: string | undefined): BlockList {
  const list = new BlockList();
  for (const entry of (spec ?? '').split(',').map((e) => e.trim()).filter(Boolean)) {
    const [address = '', prefix, extra] = entry.split('/');
    const ip = canonicalIp(address);
    const bits = prefix === undefined ? null : /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN;
    if (!ip || extra !== undefined || (bits !== null && !(bits <= (isIP(ip) === 4 ? 32 : 128)))) {
      throw new Error(`DOSSIER_TRUSTED_PROXIES: "${entry}" is not an IP address or CIDR (such as 10.0.0.0/8)`);
    }
    if (bits === null) list.addAddress(ip, familyOf(ip));
    else list.addSubnet(ip, bits, familyOf(ip));
  }
  return list;
}

const isTrusted = (trusted: BlockList, ip: string) => trusted.check(ip, familyOf(ip));

/**
 * The socket peer, unless it is a trusted proxy: then the rightmost X-Forwarded-For entry that
 * is not a trusted proxy (entries to its left were written by the client and prove nothing).
 * A malformed entry stops the walk at the last trusted hop.
 */
export function clientAddress(peer: string, forwardedFor: string | string[] | undefined, trusted: BlockList): string {
  let client = canonicalIp(peer) ?? peer;
  if (!isIP(client) || !isTrusted(trusted, client)) return client;
  const hops = [forwardedFor ?? []].flat().flatMap((h) => h.split(','));
  for (const hop of hops.reverse()) {
    const ip = canonicalIp(hop);
    if (!ip) break;
    client = ip;
    if (!isTrusted(trusted, ip)) break;
  }
  return client;
}
