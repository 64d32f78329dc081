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
// documentation and reserved ranges. BlockList also matches IPv4-mapped IPv6 (::ffff:10.0.0.1)
// against the IPv4 rules.
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

export function isBlockedAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 0) return true; // not an address at all: refuse rather than guess
  return blocked.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

// Cloud metadata endpoints hand out credentials: refused even where intranet targets are allowed.
const metadata = new net.BlockList();
metadata.addAddress('169.254.169.254', 'ipv4');
metadata.addAddress('100.100.100.200', 'ipv4');
metadata.addAddress('fd00:ec2::254', 'ipv6');

/** Whether webhooks may not go to this address, under the current setting. */
export function isRefusedAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family !== 0 && metadata.check(address, family === 4 ? 'ipv4' : 'ipv6')) return true;
  return !privateTargetsAllowed() && isBlockedAddress(address);
}

export class BlockedTargetError extends Error {}

const blockedMessage = (host: string, address: string) => (privateTargetsAllowed()
  ? `Webhook target ${host} is a cloud metadata address (${address}), which is never allowed`
  : `Webhook target ${host} is a private, loopback or link-local address (${address}); set DOSSIER_WEBHOOK_ALLOW_PRIVATE=true to allow intranet targets`);

/** The URL's host without IPv6 brackets. */
function bareHost(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

/** Parses and checks the form of a webhook URL: http(s), no credentials. Throws a 400. */
export function parseWebhookUrl(raw: string): URL {
  let url: URL;
  try { url = new URL(raw.trim()); } catch { throw badInput('url: not a valid URL'); }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw badInput('url: only http:// and https:// webhook URLs are allowed');
  if (url.username || url.password) throw badInput('url: credentials in the URL are not allowed; use the secret instead');
  if (raw.length > 2000) throw badInput('url: at most 2000 characters');
  return url;
}

/** Saving a webhook: the host must be, or resolve only to, public addresses. Throws a 400. */
export async function assertPublicTarget(url: URL): Promise<void> {
  const host = bareHost(url);
  if (net.isIP(host)) {
    if (isRefusedAddress(host)) throw badInput(blockedMessage(host, host));
    return;
  }
  // Intranet names may not resolve from here yet; delivery checks the address it connects to.
  if (privateTargetsAllowed()) return;
  let addresses: dns.LookupAddress[];
  try {
    addresses = await dns.promises.lookup(host, { all: true, verbatim: true });
  } catch {
    throw badInput(`url: the host ${host} does not resolve`);
  }
  const bad = addresses.find((a) => isRefusedAddress(a.address));
  if (bad) throw badInput(blockedMessage(host, bad.address));
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
