import { type Counter, type Histogram, MetricsRegistry } from '../core/metrics/registry.ts';

/**
 * Set by a handler that passes a request on (a gateway process to its node:cluster primary): the route
 * that served it there, which `route` labels instead of the catch-all that passed it.
 */
export const SERVED_ROUTE = 'servedRoute';

declare module 'hono' {
  interface ContextVariableMap {
    [SERVED_ROUTE]: string;
  }
}

/** The gateway's Prometheus metrics (docs/metrics.md lists them). */
export interface GatewayMetrics {
  registry: MetricsRegistry;
  requests: Counter;
  accepted: Counter;
  rejected: Counter;
  bytes: Counter;
  latency: Histogram;
  busErrors: Counter;
  retimed: Counter;
  proxied: Counter;
}

export function createGatewayMetrics(registry = new MetricsRegistry()): GatewayMetrics {
  return {
    registry,
    requests: registry.counter('sluice_gateway_requests_total', 'HTTP requests by route and status.', [
      'route',
      'status',
    ]),
    accepted: registry.counter('sluice_gateway_records_accepted_total', 'Records stored on the bus.', [
      'protocol',
    ]),
    rejected: registry.counter('sluice_gateway_records_rejected_total', 'Records refused, by reason.', [
      'protocol',
      'reason',
    ]),
    bytes: registry.counter(
      'sluice_gateway_received_bytes_total',
      'Request body bytes received (on the wire).',
      ['protocol'],
    ),
    latency: registry.histogram('sluice_gateway_request_duration_seconds', 'Request latency.', ['route']),
    retimed: registry.counter(
      'sluice_gateway_records_retimed_total',
      'Accepted records whose own time lay outside limits.event_time, filed under their arrival time.',
      ['protocol'],
    ),
    busErrors: registry.counter('sluice_gateway_bus_errors_total', 'Batches the bus failed to store.'),
    proxied: registry.counter('sluice_gateway_proxied_requests_total', 'Requests proxied to upstreams.', [
      'upstream',
      'status',
    ]),
  };
}
