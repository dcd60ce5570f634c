import * as v from 'valibot';
import { isLoopbackHost } from '../../net/loopback.ts';

const HOST_PORT = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/;

/** Splits `host:port` or `[ipv6]:port`; undefined when the text is not one. */
export function splitHostPort(address: string): { host: string; port: number } | undefined {
  const match = HOST_PORT.exec(address);
  if (!match) return undefined;
  const port = Number(match[3]);
  if (port > 65535) return undefined;
  return { host: match[1] ?? match[2], port };
}

/** True for addresses only this machine can reach; listening elsewhere needs API keys. */
export function isLoopback(address: string): boolean {
  const host = splitHostPort(address)?.host;
  return host !== undefined && isLoopbackHost(host);
}

/** An address to listen on or connect to: `127.0.0.1:8080`, `0.0.0.0:8080`, `[::1]:8080`, `kafka-1:9092`. */
export function hostPortSchema() {
  return v.pipe(
    v.string('expected an address such as 127.0.0.1:8080'),
    v.check(
      (text) => splitHostPort(text) !== undefined,
      'expected an address such as 127.0.0.1:8080 (host:port, IPv6 in brackets, port up to 65535)',
    ),
    v.metadata({ type: 'host:port' }),
  );
}

/**
 * A list item holding one `host:port` or several separated by commas, so one `${SLUICE_KAFKA_BROKERS}`
 * (`a:9092,b:9092`) can fill a whole list; `splitHostPortLists` flattens the items after validation.
 */
export function hostPortListItemSchema() {
  return v.pipe(
    v.string('expected an address such as 127.0.0.1:8080'),
    v.check(
      (text) => text.split(',').every((part) => splitHostPort(part.trim()) !== undefined),
      'expected host:port, or several separated by commas (host:port, IPv6 in brackets, port up to 65535)',
    ),
    v.metadata({ type: 'host:port' }),
  );
}

export function splitHostPortLists(items: string[]): string[] {
  return items.flatMap((item) => item.split(',').map((part) => part.trim()));
}
