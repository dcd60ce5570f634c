import type { Counter, Gauge, Histogram, MetricsRegistry } from '../../core/metrics/registry.ts';

/** The shipper's Prometheus metrics (docs/agent-shipping.md lists them). */
export interface ShipMetrics {
  events: Counter;
  batches: Counter;
  bytes: Counter;
  retries: Counter;
  splits: Counter;
  rejected: Counter;
  latency: Histogram;
  backpressureSeconds: Counter;
  gatewayUp: Gauge;
  misconfigured: Gauge;
  queuedBatches: Gauge;
  spoolBytes: Gauge;
  spoolFiles: Gauge;
}

export function createShipMetrics(registry: MetricsRegistry): ShipMetrics {
  return {
    events: registry.counter(
      'sluice_agent_ship_events_total',
      'Events the gateway accepted (stored on its bus).',
    ),
    batches: registry.counter('sluice_agent_ship_batches_total', 'Batches the gateway acknowledged.'),
    bytes: registry.counter(
      'sluice_agent_ship_bytes_total',
      'Bytes of acknowledged batches, before (stage=raw) and after (stage=compressed) compression.',
      ['stage'],
    ),
    retries: registry.counter(
      'sluice_agent_ship_retries_total',
      'Failed attempts to send a batch that will be retried, by reason (network, timeout, http_503, misconfigured…).',
      ['reason'],
    ),
    splits: registry.counter(
      'sluice_agent_ship_splits_total',
      'Batches halved because the gateway answered 413.',
    ),
    rejected: registry.counter(
      'sluice_agent_ship_rejected_events_total',
      'Events the gateway refused and that are not sent again, by reason (invalid, all_rejected, too_large, http_<status>; spool_damaged: a spooled batch unreadable on disk).',
      ['reason'],
    ),
    latency: registry.histogram(
      'sluice_agent_ship_request_seconds',
      'Time from sending a batch to the gateway answering.',
    ),
    backpressureSeconds: registry.counter(
      'sluice_agent_ship_backpressure_seconds_total',
      'Time inputs waited because the send queue and the spool were full.',
    ),
    gatewayUp: registry.gauge(
      'sluice_agent_ship_gateway_up',
      '1 when the last attempt of every lane succeeded, else 0.',
    ),
    misconfigured: registry.gauge(
      'sluice_agent_ship_misconfigured',
      '1 while the gateway refuses our key or URL (401/403/404); data is kept and retried slowly.',
    ),
    queuedBatches: registry.gauge(
      'sluice_agent_ship_queued_batches',
      'Batches waiting to be sent, in memory or spooled.',
    ),
    spoolBytes: registry.gauge('sluice_agent_spool_bytes', 'Bytes of batches in the disk spool.'),
    spoolFiles: registry.gauge('sluice_agent_spool_files', 'Batches in the disk spool.'),
  };
}
