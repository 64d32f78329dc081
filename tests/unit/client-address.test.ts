import { describe, expect, it } from 'vitest';
import { canonicalIp, clientAddress, parseTrustedProxies } from '../../src/server/auth/client-address.ts';

describe('canonicalIp', () => {
  it('writes each address one way and refuses what is not an address', () => {
    expect(canonicalIp(' 203.0.113.7 ')).toBe('203.0.113.7');
    expect(canonicalIp('203.0.113.7:51234')).toBe('203.0.113.7');
    expect(canonicalIp('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(canonicalIp('[2001:DB8:0:0::1]:443')).toBe('2001:db8::1');
    expect(canonicalIp('2001:0db8:0000:0000:0000:0000:0000:0001')).toBe('2001:db8::1');
    expect(canonicalIp('fe80::1%eth0')).toBe('fe80::1');
    for (const junk of ['', 'unknown', '203.0.113', '1.2.3.4.5', 'example.com', '[::1', '::1]:80', '999.1.1.1']) expect(canonicalIp(junk)).toBeNull();
  });
});

describe('parseTrustedProxies', () => {
  it('takes IPs and CIDRs, and refuses anything else with a message naming the entry', () => {
    const list = parseTrustedProxies(' 10.0.0.0/8, 192.0.2.5 ,2001:db8::/32,');
    expect(list.check('10.200.3.4')).toBe(true);
    expect(list.check('192.0.2.5')).toBe(true);
    expect(list.check('192.0.2.6')).toBe(false);
    expect(list.check('2001:db8:1::9', 'ipv6')).toBe(true);
    for (const bad of ['proxy.local', '10.0.0.0/33', '10.0.0.0/', '10.0.0.0/8/1', '::/129', '10.0.0.0/-1', '10.0.0.0/8x']) {
      expect(() => parseTrustedProxies(bad)).toThrow(`DOSSIER_TRUSTED_PROXIES: "${bad}"`);
    }
    expect(parseTrustedProxies(undefined).check('127.0.0.1')).toBe(false);
  });
});

describe('clientAddress', () => {
  const trusted = parseTrustedProxies('10.0.0.0/8,2001:db8::1');

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', () => {
    expect(clientAddress('203.0.113.9', '198.51.100.1', trusted)).toBe('203.0.113.9');
    expect(clientAddress('::ffff:203.0.113.9', '10.0.0.1', trusted)).toBe('203.0.113.9');
    expect(clientAddress('203.0.113.9', undefined, parseTrustedProxies(''))).toBe('203.0.113.9');
  });

  it('from a trusted proxy, takes the rightmost entry that is not a trusted proxy', () => {
    expect(clientAddress('10.0.0.1', '198.51.100.1', trusted)).toBe('198.51.100.1');
    expect(clientAddress('::ffff:10.0.0.1', '198.51.100.1', trusted)).toBe('198.51.100.1');
    // The client wrote "1.1.1.1" itself; the proxies appended what they saw.
    expect(clientAddress('10.0.0.1', '1.1.1.1, 198.51.100.1, 10.0.0.2', trusted)).toBe('198.51.100.1');
    expect(clientAddress('10.0.0.1', ['1.1.1.1', '198.51.100.1:4000, 10.0.0.2'], trusted)).toBe('198.51.100.1');
    expect(clientAddress('2001:db8::1', '[2001:db8::2]:5000', trusted)).toBe('2001:db8::2');
  });

  it('stops at the last trusted hop when there is no header, only proxies, or a malformed entry', () => {
    expect(clientAddress('10.0.0.1', undefined, trusted)).toBe('10.0.0.1');
    expect(clientAddress('10.0.0.1', '10.0.0.3, 10.0.0.2', trusted)).toBe('10.0.0.3');
    expect(clientAddress('10.0.0.1', '198.51.100.1, garbage, 10.0.0.2', trusted)).toBe('10.0.0.2');
    expect(clientAddress('10.0.0.1', '', trusted)).toBe('10.0.0.1');
  });
});
