import { ipLiteral, parseAllowedDestinations, type ResolvedAddress } from '@csp/security';
import { pinnedLookup, WebhookDestinations, type Resolver } from './destinations';

/** A resolver from a table; unknown names are NXDOMAIN, as getaddrinfo says it. */
const dns =
  (table: Record<string, string[]>): Resolver =>
  async (host) => {
    const addresses = table[host];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }) as ResolvedAddress);
  };
const allowed = (text: string) => {
  const { allowed: list, problems } = parseAllowedDestinations(text);
  expect(problems).toEqual([]);
  return list;
};
const verdict = async (destinations: WebhookDestinations, url: string) => {
  const check = await destinations.check(new URL(url));
  return check.allowed ? 'allowed' : check.reason;
};
/** One case per URL (`%s` in the title): `destinations` answers `expected` for each. */
const itAnswers = (expected: 'allowed' | 'not_allowed', title: string, destinations: WebhookDestinations, urls: readonly string[]) =>
  it.each(urls)(title, async (url) => {
    expect(await verdict(destinations, url)).toBe(expected);
  });

describe('webhook destinations', () => {
  const none = new WebhookDestinations(undefined, dns({ 'hooks.example.com': ['93.184.215.14'], 'metadata.attacker.example': ['169.254.169.254'] }));

  // The cloud metadata service, and every other internal target, in every spelling a URL allows.
  it.each([
    ['http://169.254.169.254/latest/meta-data/', 'link-local'],
    ['http://2852039166/', 'link-local'],
    ['http://0xa9fea9fe/', 'link-local'],
    ['http://0xA9.0xFE.0xA9.0xFE/', 'link-local'],
    ['http://0251.0376.0251.0376/', 'link-local'],
    ['http://169.254.43518/', 'link-local'],
    ['http://169.16689662/', 'link-local'],
    ['http://%31%36%39.254.169.254/', 'link-local'],
    ['http://１６９.２５４.１６９.２５４/', 'link-local'],
    ['http://user:pass@169.254.169.254:80/', 'link-local'],
    ['http://[::ffff:a9fe:a9fe]/', 'link-local'],
    ['http://[::ffff:169.254.169.254]/', 'link-local'],
    ['http://[0:0:0:0:0:ffff:a9fe:a9fe]/', 'link-local'],
    ['http://[::a9fe:a9fe]/', 'link-local'],
    ['http://[::ffff:0:a9fe:a9fe]/', 'link-local'],
    ['http://[64:ff9b::a9fe:a9fe]/', 'link-local'],
    ['http://[64:ff9b::169.254.169.254]/', 'link-local'],
    ['http://[2002:a9fe:a9fe::1]/', 'link-local'],
    ['http://[fe80::1]/', 'link-local'],
    ['http://[FE80::ABCD:1]/', 'link-local'],
    ['http://[febf::1]/', 'link-local'],
    ['http://0.0.0.0/', 'unspecified'],
    ['http://0/', 'unspecified'],
    ['http://0.1.2.3/', 'unspecified'],
    ['http://[::]/', 'unspecified'],
    ['http://[0:0:0:0:0:0:0:0]/', 'unspecified'],
    ['http://127.0.0.1:3000/', 'loopback'],
    ['http://127.1/', 'loopback'],
    ['http://127.255.255.254/', 'loopback'],
    ['http://2130706433/', 'loopback'],
    ['http://0x7f000001/', 'loopback'],
    ['http://017700000001/', 'loopback'],
    ['http://0x7f.1/', 'loopback'],
    ['http://[::1]/', 'loopback'],
    ['http://[0:0:0:0:0:0:0:1]/', 'loopback'],
    ['http://[::ffff:127.0.0.1]/', 'loopback'],
    ['http://[::ffff:7f00:1]/', 'loopback'],
    ['http://[64:ff9b::7f00:1]/', 'loopback'],
    ['http://10.0.0.1/', 'private'],
    ['http://10.255.255.255/', 'private'],
    ['http://172.16.0.1/', 'private'],
    ['http://172.31.255.255/', 'private'],
    ['http://192.168.1.1/', 'private'],
    ['http://3232235777/', 'private'],
    ['http://[::ffff:c0a8:101]/', 'private'],
    ['http://[fd00::1]/', 'private'],
    ['http://[fc00::1]/', 'private'],
    ['http://[fec0::1]/', 'private'],
    ['http://[64:ff9b:1::a00:1]/', 'private'],
    ['http://100.64.0.1/', 'shared (carrier-grade NAT)'],
    ['http://100.127.255.255/', 'shared (carrier-grade NAT)'],
    ['http://224.0.0.1/', 'multicast'],
    ['http://239.255.255.250/', 'multicast'],
    ['http://[ff02::1]/', 'multicast'],
    ['http://255.255.255.255/', 'broadcast'],
    ['http://240.0.0.1/', 'reserved'],
    ['http://192.0.2.1/', 'reserved'],
    ['http://[2001:db8::1]/', 'reserved'],
    ['http://[2001::1]/', 'reserved'],
  ])('refuses %s (%s)', async (url, kind) => {
    const check = await none.check(new URL(url));
    expect(check).toEqual({ allowed: false, reason: 'not_allowed', message: expect.stringContaining(`is a ${kind} address`) });
  });

  itAnswers('not_allowed', 'refuses %s, a name that resolves to internal addresses only', none, [
    'http://localhost:8080/hook',
    'http://LOCALHOST./hook',
    'http://hooks.localhost/',
    'https://metadata.attacker.example/',
  ]);

  itAnswers('allowed', 'allows %s, a public destination', none, [
    'https://93.184.215.14/hook',
    'http://8.8.8.8/',
    'http://172.32.0.1/',
    'http://100.128.0.1/',
    'http://192.169.0.1/',
    'http://[2606:4700:4700::1111]/',
    'http://[::ffff:8.8.8.8]/',
    'https://hooks.example.com/x',
  ]);

  it('keeps only the allowed addresses of a name, and says when a name does not resolve', async () => {
    const destinations = new WebhookDestinations(
      undefined,
      dns({ 'mixed.example': ['10.0.0.7', '93.184.215.14', '::ffff:127.0.0.1', '2606:4700::6810:85e5', 'fe80::1%eth0'] }),
    );
    expect(await destinations.check(new URL('https://mixed.example/'))).toEqual({
      allowed: true,
      addresses: [
        { address: '93.184.215.14', family: 4 },
        { address: '2606:4700::6810:85e5', family: 6 },
      ],
    });
    expect(await destinations.check(new URL('https://nowhere.example/'))).toEqual({ allowed: false, reason: 'unresolved', message: 'host not found' });
  });

  describe('with WEBHOOK_ALLOWED_HOSTS', () => {
    const destinations = new WebhookDestinations(
      allowed('127.0.0.1, 10.20.0.0/16 ,billing.internal,fd12:3456::/32'),
      dns({ 'billing.internal': ['10.99.0.1', 'fd00::99'], 'crm.internal': ['10.99.0.2'], 'receiver.internal': ['10.20.1.1'] }),
    );

    itAnswers('allowed', 'allows the listed address in every spelling: %s', destinations, [
      'http://127.0.0.1:8080/',
      'http://127.1:8080/',
      'http://2130706433/',
      'http://0x7f.0.0.1/',
      'http://[::ffff:127.0.0.1]/',
      'http://[::ffff:7f00:1]/',
    ]);

    it('allows the listed blocks and names, and nothing else internal', async () => {
      expect(await verdict(destinations, 'http://10.20.255.1/')).toBe('allowed');
      expect(await verdict(destinations, 'http://[fd12:3456:1::1]/')).toBe('allowed');
      expect(await verdict(destinations, 'https://receiver.internal/')).toBe('allowed');
      expect(await destinations.check(new URL('https://Billing.Internal./hook'))).toEqual({
        allowed: true,
        addresses: [
          { address: '10.99.0.1', family: 4 },
          { address: 'fd00::99', family: 6 },
        ],
      });
      for (const url of ['http://127.0.0.2/', 'http://[::1]/', 'http://10.21.0.1/', 'http://[fd00::1]/', 'https://crm.internal/', 'http://169.254.169.254/']) {
        expect({ url, verdict: await verdict(destinations, url) }).toEqual({ url, verdict: 'not_allowed' });
      }
      // localhost is 127.0.0.1 and ::1: only the listed one is connected to.
      expect(await destinations.check(new URL('http://localhost:8080/'))).toEqual({ allowed: true, addresses: [{ address: '127.0.0.1', family: 4 }] });
    });
  });

  describe('parsing WEBHOOK_ALLOWED_HOSTS', () => {
    it('canonicalises addresses, blocks and names', () => {
      const { allowed: list, problems } = parseAllowedDestinations(' 0x7f000001, [::1],FD00::/8 , Billing.Internal., Bücher.example,10.20.0.0/16,,');
      expect(problems).toEqual([]);
      expect(list.entries).toEqual(['127.0.0.1', '::1', 'fd00::/8', 'billing.internal', 'xn--bcher-kva.example', '10.20.0.0/16']);
      expect(parseAllowedDestinations(undefined)).toEqual({ allowed: expect.objectContaining({ entries: [] }), problems: [] });
    });

    it('names every entry that is not a host, an address or a CIDR block', () => {
      const { problems } = parseAllowedDestinations('http://x,10.0.0.0/33,::1/129,10.0.0.0/x,999.1.1.1,a b,*,fe80::1%eth0,-x.internal,ok.internal');
      expect(problems).toHaveLength(9);
      expect(problems[0]).toBe('"http://x" is not a host name, an IP address or a CIDR block (e.g. billing.internal, 127.0.0.1, 10.20.0.0/16, fd00::/8)');
      expect(problems.join('\n')).not.toContain('ok.internal');
    });
  });

  it('reads IP literals in any spelling, and nothing else', () => {
    expect(['2130706433', '127.1', '0177.0.0.1', '[::FFFF:127.0.0.1]', '::1'].map((h) => ipLiteral(h)?.address)).toEqual([
      '127.0.0.1',
      '127.0.0.1',
      '127.0.0.1',
      '::ffff:7f00:1',
      '::1',
    ]);
    expect(['example.com', 'a.1', '1.2.3.4:80', 'x@1.2.3.4', '', 'fe80::1%eth0'].map((h) => ipLiteral(h))).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});

describe('the pinned lookup', () => {
  const addresses: ResolvedAddress[] = [
    { address: '93.184.215.14', family: 4 },
    { address: '2606:4700::1', family: 6 },
  ];
  const ask = (options: object) =>
    new Promise<unknown[]>((resolve) =>
      pinnedLookup(addresses)('rebound.example', options, (error, address, family) => resolve([error?.message ?? null, address, family])),
    );

  it('answers with the checked addresses, whatever the name asked', async () => {
    expect(await ask({})).toEqual([null, '93.184.215.14', 4]);
    expect(await ask({ all: true })).toEqual([null, addresses, undefined]);
    expect(await ask({ family: 6 })).toEqual([null, '2606:4700::1', 6]);
    expect(await new Promise((resolve) => pinnedLookup([addresses[0]!])('x', { family: 6 }, (error) => resolve(error?.message)))).toBe(
      'no checked address of the requested family',
    );
  });
});
