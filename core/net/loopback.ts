/** `localhost` and its subdomains (RFC 6761), 127.0.0.0/8 and ::1 (bracketed or not). */
const LOOPBACK_HOST = /^(localhost|[a-z0-9-]+\.localhost|127(\.\d{1,3}){3}|\[::1\]|::1)$/i;

/** True for a host (no port) that only ever means this machine. */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOST.test(host.replace(/\.$/, ''));
}
