import { afterEach, describe, expect, it } from 'vitest';
import { assertDeliverableHost, assertPublicTarget, BlockedTargetError, embeddedIpv4s, guardedLookup, isRefusedAddress } from '../../src/server/notify/ssrf.ts';

// Cloud metadata, directly and in every IPv6 form that carries an IPv4 address: always refused.
const metadata = [
  '169.254.169.254', '169.254.170.2', '169.254.1.1', '100.100.100.200', '168.63.129.16', 'fd00:ec2::254',
  '::ffff:169.254.169.254', '::ffff:a9fe:a9fe', // IPv4-mapped
  '::a9fe:a9fe', '::169.254.169.254', // IPv4-compatible
  '::ffff:0:a9fe:a9fe', // IPv4-translated
  '64:ff9b::a9fe:a9fe', '64:ff9b::169.254.170.2', '64:ff9b::6464:64c8', // NAT64, well-known prefix
  '64:ff9b:1::a9fe:a9fe', '64:ff9b:1:a9fe:a9:fe00::', '64:ff9b:1:a9:fe:a9fe::', // NAT64 local-use as /96, /48 and /64
  '2002:a9fe:a9fe::1', '2002:6464:64c8::', // 6to4
  '2001:0:4136:e378:8000:63bf:5601:5601', // Teredo: client 169.254.169.254 XOR 0xffffffff
  '2001:0:a9fe:a9fe::1', // Teredo with the metadata address as its server
];
// Private, loopback and reserved targets in all those forms: refused unless intranet targets are allowed.
const privateTargets = [
  '10.0.0.1', '127.0.0.1', '192.168.1.1', '::1', 'fc00::1', 'fe80::1',
  '::ffff:10.0.0.1', '::a00:1', '::ffff:0:7f00:1', '64:ff9b::a00:1', '64:ff9b::5db8:d70e' /* NAT64 reaches intranet IPv4 */, '64:ff9b:1::c0a8:101',
  '2002:a00:1::', '2002:7f00:1::1', '2001:0:4136:e378:8000:63bf:f5ff:fffe', '2001:0:4136:e378:8000:63bf:80ff:fffe',
];
const publicTargets = ['93.184.215.14', '2606:4700:4700::1111', '::ffff:93.184.215.14', '2001:4860:4860::8888', '2001:0:4136:e378:8000:63bf:a247:28f1'];

const setAllowPrivate = (on: boolean) => {
  if (on) process.env.DOSSIER_WEBHOOK_ALLOW_PRIVATE = 'true';
  else delete process.env.DOSSIER_WEBHOOK_ALLOW_PRIVATE;
};
const before = process.env.DOSSIER_WEBHOOK_ALLOW_PRIVATE;
afterEach(() => { process.env.DOSSIER_WEBHOOK_ALLOW_PRIVATE = before; if (before === undefined) delete process.env.DOSSIER_WEBHOOK_ALLOW_PRIVATE; });

const lookup = (host: string) => new Promise<{ err: NodeJS.ErrnoException | null; address: unknown }>((resolve) => {
  guardedLookup(host, {}, (err, address) => resolve({ err, address }));
});


describe('embedded IPv4 addresses', () => {
  it('finds the IPv4 address each IPv6 form carries, and none in plain IPv6', () => {
    expect(embeddedIpv4s('::ffff:a9fe:a9fe')).toEqual(['169.254.169.254']);
    expect(embeddedIpv4s('::a9fe:a9fe')).toEqual(['169.254.169.254']);
    expect(embeddedIpv4s('64:ff9b::10.1.2.3')).toEqual(['10.1.2.3']);
    expect(embeddedIpv4s('64:ff9b:1:a9fe:a9:fe00::')).toContain('169.254.169.254');
    expect(embeddedIpv4s('2002:c000:0204::1')).toEqual(['192.0.2.4']);
    expect(embeddedIpv4s('2001:0:4136:e378:8000:63bf:3fff:fdd2')).toEqual(['65.54.227.120', '192.0.2.45']);
    expect(embeddedIpv4s('2606:4700:4700::1111')).toEqual([]);
    expect(embeddedIpv4s('fe80::1%eth0')).toEqual([]);
    expect(embeddedIpv4s('10.0.0.1')).toEqual([]);
  });
});

describe.each([true, false])('webhook targets with DOSSIER_WEBHOOK_ALLOW_PRIVATE=%s', (allowPrivate) => {
  it.each(metadata)('refuses the metadata address %s', async (address) => {
    setAllowPrivate(allowPrivate);
    expect(isRefusedAddress(address)).toBe(true);
    const url = new URL(`http://${address.includes(':') ? `[${address}]` : address}/latest/meta-data`);
    await expect(assertPublicTarget(url)).rejects.toMatchObject({ status: 400 });
    expect(() => assertDeliverableHost(url)).toThrow(BlockedTargetError);
    const { err } = await lookup(address);
    expect(err).toBeInstanceOf(BlockedTargetError);
    expect(err?.code).toBe('EBLOCKED');
  });

  it.each(privateTargets)(`${allowPrivate ? 'allows' : 'refuses'} the private target %s`, async (address) => {
    setAllowPrivate(allowPrivate);
    expect(isRefusedAddress(address)).toBe(!allowPrivate);
    const { err, address: connected } = await lookup(address);
    if (allowPrivate) expect([err, connected]).toEqual([null, address]);
    else expect(err).toBeInstanceOf(BlockedTargetError);
  });

  it.each(publicTargets)('allows the public address %s', async (address) => {
    setAllowPrivate(allowPrivate);
    expect(isRefusedAddress(address)).toBe(false);
    const { err, address: connected } = await lookup(address);
    expect([err, connected]).toEqual([null, address]);
  });
});

describe('names', () => {
  it('refuses a name whose answer is private at connect time, whatever it was when saved', async () => {
    setAllowPrivate(false);
    const { err } = await lookup('localhost');
    expect(err?.code).toBe('EBLOCKED');
    expect(err?.message).toMatch(/localhost is a private, loopback or link-local address/);
  });
});
