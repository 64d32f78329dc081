// Server-side request forgery guard for webhook targets. A project admin chooses the URL, so
// without this a webhook could make the server talk to itself, the intranet or a cloud metadata
// endpoint. URLs are checked when saved, and the address actually connected to is checked again
// at delivery time (the DNS answer may have changed since: rebinding).
import dns from 'node:dns';
import net from 'node:net';
import { badInput } from '../errors.ts';

/** Intranet deployments and tests may deliver to private addresses. */
export function privateTargetsAllowed(): boolean {
  return process.env.DOSSIER_WEBHOOK_ALLOW_PRIVATE === 'true';
}

// Not public unicast: loopback, private, link-local (incl. 169.254.169.254 metadata), CGNAT
// (incl. 100.100.100.200 metadata), unique-local IPv6 (incl. fd00:ec2::254 metadata), multicast,
// documentation and reserved ranges. IPv6 forms that carry an IPv4 address are also checked by that
// address (embeddedIpv4s), so they need no entries of their own.
const blocked = new net.BlockList();
for (const [prefix, bits] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24],
  ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) blocked.addSubnet(prefix, bits, 'ipv4');
for (const [prefix, bits] of [
  ['::', 96], // unspecified, loopback and the deprecated IPv4-compatible addresses
  ['64:ff9b::', 96], ['64:ff9b:1::', 48], // NAT64 could reach any IPv4 address, private ones included
  ['100::', 64], ['2001:db8::', 32], ['2002::', 16], ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8],
] as const) blocked.addSubnet(prefix, bits, 'ipv6');

// Cloud metadata endpoints hand out credentials: refused even where intranet targets are allowed.
// All of link-local IPv4 (AWS, GCP, Azure, Oracle at .169.254, AWS ECS at .170.2, AWS DNS/NTP),
// Alibaba's 100.100.100.200, Azure's WireServer 168.63.129.16 and AWS's IPv6 fd00:ec2::254.
const metadata = new net.BlockList();
metadata.addSubnet('169.254.0.0', 16, 'ipv4');
metadata.addAddress('100.100.100.200', 'ipv4');
metadata.addAddress('168.63.129.16', 'ipv4');
metadata.addAddress('fd00:ec2::254', 'ipv6');

/** The eight 16-bit groups of a valid IPv6 address (a zone such as %eth0 ignored). */
function ipv6Groups(address: string): number[] {
  let text = address.split('%')[0]!.toLowerCase();
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const start = head ? head.split(':') : [];
  const end = tail ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : Array<string>(8 - start.length - end.length).fill('0');
  return [...start, ...zeros, ...end].map((g) => parseInt(g, 16));
}

const ipv4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;

/**
 * The IPv4 addresses a packet to this IPv6 address may end up at: IPv4-mapped (::ffff:0:0/96),
 * IPv4-translated (::ffff:0:0:0/96), IPv4-compatible (::/96), NAT64 (64:ff9b::/96, and
 * 64:ff9b:1::/48 at each RFC 6052 prefix length it allows), 6to4 (2002::/16) and Teredo
 * (2001::/32: the server, and the client XOR 0xffffffff). Empty for any other address.
 */
export function embeddedIpv4s(address: string): string[] {
  if (!net.isIPv6(address)) return [];
  const g = ipv6Groups(address);
  const zero = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  const last = ipv4(g[6]!, g[7]!);
  if (zero(0, 5) && (g[5] === 0 || g[5] === 0xffff)) return [last];
  if (zero(0, 4) && g[4] === 0xffff && g[5] === 0) return [last];
  if (g[0] === 0x64 && g[1] === 0xff9b && zero(2, 6)) return [last];
  if (g[0] === 0x64 && g[1] === 0xff9b && g[2] === 1) {
    // RFC 6052 puts the IPv4 address around bits 64-71, which stay zero: /48, /56, /64, /96.
    const bytes = g.flatMap((x) => [x >> 8, x & 255]);
    const at = (...i: number[]) => i.map((n) => bytes[n]).join('.');
    return [at(6, 7, 9, 10), at(7, 9, 10, 11), at(9, 10, 11, 12), last];
  }
  if (g[0] === 0x2002) return [ipv4(g[1]!, g[2]!)];
  if (g[0] === 0x2001 && g[1] === 0) return [ipv4(g[2]!, g[3]!), ipv4(g[6]! ^ 0xffff, g[7]! ^ 0xffff)];
  return [];
}

const inList = (list: net.BlockList, address: string) => list.check(address, net.isIP(address) === 4 ? 'ipv4' : 'ipv6');

/** Whether webhooks may not go to this address, under the current setting. */
export function isRefusedAddress(address: string): boolean {
  if (net.isIP(address) === 0) return true; // not an address at all: refuse rather than guess
  const reached = [address, ...embeddedIpv4s(address)];
  if (reached.some((a) => inList(metadata, a))) return true;
  return !privateTargetsAllowed() && reached.some((a) => inList(blocked, a));
}

export class BlockedTargetError extends Error {}

const blockedMessage = (host: string, address: string) => (privateTargetsAllowed()
  ? `Webhook target ${host} is a cloud metadata address (${address}), which is never allowed`
  : `Webhook target ${host} is a private, loopback or link-local address (${address}); set DOSSIER_WEBHOOK_ALLOW_PRIVATE=true to allow intranet targets`);

/** A refused target when a webhook is saved: a 400 whose code says it in the admin's language. */
const blockedInput = (host: string, address: string) => (privateTargetsAllowed()
  ? badInput(blockedMessage(host, address), { code: 'urlMetadata', host, address })
  : badInput(blockedMessage(host, address), { code: 'urlPrivate', host, address }));

/** The URL's host without IPv6 brackets. */
function bareHost(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

/** Parses and checks the form of a webhook URL: http(s), no credentials. Throws a 400. */
export function parseWebhookUrl(raw: string): URL {
  let url: URL;
  try { url = new URL(raw.trim()); } catch { throw badInput('url: not a valid URL', { code: 'urlInvalid' }); }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw badInput('url: only http:// and https:// webhook URLs are allowed', { code: 'urlScheme' });
  if (url.username || url.password) throw badInput('url: credentials in the URL are not allowed; use the secret instead', { code: 'urlCredentials' });
  if (raw.length > 2000) throw badInput('url: at most 2000 characters', { code: 'urlTooLong' });
  return url;
}

/** Saving a webhook: the host must be, or resolve only to, public addresses. Throws a 400. */
export async function assertPublicTarget(url: URL): Promise<void> {
  const host = bareHost(url);
  if (net.isIP(host)) {
    if (isRefusedAddress(host)) throw blockedInput(host, host);
    return;
  }
  // Intranet names may not resolve from here yet; delivery checks the address it connects to.
  if (privateTargetsAllowed()) return;
  let addresses: dns.LookupAddress[];
  try {
    addresses = await dns.promises.lookup(host, { all: true, verbatim: true });
  } catch {
    throw badInput(`url: the host ${host} does not resolve`, { code: 'urlUnresolved', host });
  }
  const bad = addresses.find((a) => isRefusedAddress(a.address));
  if (bad) throw blockedInput(host, bad.address);
}

/** Delivering: refuses a literal address that is blocked (Node connects to literals without a lookup). */
export function assertDeliverableHost(url: URL): void {
  const host = bareHost(url);
  if (net.isIP(host) && isRefusedAddress(host)) throw new BlockedTargetError(blockedMessage(host, host));
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

/**
 * A `lookup` for http.request / net.connect that resolves as usual and then refuses blocked
 * addresses: the check happens on the very answer the socket connects to.
 */
export function guardedLookup(hostname: string, options: dns.LookupOptions, callback: LookupCallback): void {
  dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, []);
    const bad = addresses.find((a) => isRefusedAddress(a.address));
    if (bad) return callback(Object.assign(new BlockedTargetError(blockedMessage(hostname, bad.address)), { code: 'EBLOCKED' }), []);
    if (options.all) return callback(null, addresses);
    const first = addresses[0];
    if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), []);
    callback(null, first.address, first.family);
  });
}
