/**
 * Where a chat webhook the routing names may point. The sender posts to it from inside the company's network, so an
 * address of that network (loopback, private, link-local such as a cloud's metadata service at 169.254.169.254, a
 * bare service name) would let whoever edits the routing make the back office post to its own databases and services
 * and read their answers back in the timeline. Group robots are public services (oapi.dingtalk.com, open.feishu.cn,
 * hooks.slack.com); a local receiver is allowed only where the operator says so (WEBHOOK_INTERNAL_HOSTS_ALLOWED).
 */

const V4_INTERNAL: [number, number][] = [
  // [network, prefix length]
  [0x00000000, 8], // 0.0.0.0/8 "this network"
  [0x0a000000, 8], // 10/8
  [0x64400000, 10], // 100.64/10 carrier-grade NAT
  [0x7f000000, 8], // 127/8 loopback
  [0xa9fe0000, 16], // 169.254/16 link-local, cloud metadata
  [0xac100000, 12], // 172.16/12
  [0xc0a80000, 16], // 192.168/16
  [0xc6120000, 15], // 198.18/15 benchmarking
  [0xe0000000, 3], // 224/3 multicast and reserved, broadcast
];

function v4Internal(host: string): boolean | undefined {
  const parts = host.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  const n = parts.reduce((a, p) => a * 256 + Number(p), 0);
  return V4_INTERNAL.some(([net, len]) => Math.floor(n / 2 ** (32 - len)) === Math.floor(net / 2 ** (32 - len)));
}

function v6Internal(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === '::' || h === '::1') return true;
  // IPv4-mapped (::ffff:10.0.0.1, or as WHATWG URL writes it, ::ffff:a00:1).
  const mapped = /^::ffff:(.+)$/.exec(h);
  if (mapped) {
    const tail = mapped[1]!;
    if (tail.includes('.')) return v4Internal(tail) ?? true;
    const [hi = '0', lo = '0'] = tail.split(':');
    const n = parseInt(hi, 16) * 65536 + parseInt(lo, 16);
    return v4Internal([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.')) ?? true;
  }
  // fc00::/7 unique local, fe80::/10 link-local, ff00::/8 multicast.
  return /^f[cd]/.test(h) || /^fe[89ab]/.test(h) || h.startsWith('ff');
}

/** Whether a URL's host is of the local network: an internal IP literal, localhost, a bare name or an internal-only domain. */
export function isInternalHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/\.$/, '');
  if (h.startsWith('[') || h.includes(':')) return v6Internal(h);
  const v4 = v4Internal(h);
  if (v4 !== undefined) return v4;
  // A name without a dot resolves inside the network only (a container, a host of the LAN), as do these domains.
  return !h.includes('.') || /\.(localhost|local|internal|intranet|lan|home\.arpa)$/.test(h);
}

/** Why a webhook URL may not be posted to, or undefined when it may. */
export function webhookAddressProblem(url: string): string | undefined {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return undefined; // the URL check itself refuses it
  }
  return isInternalHost(host) ? `${host} is an internal host of the local network; give the group robot's address on the internet` : undefined;
}
