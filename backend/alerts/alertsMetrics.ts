import type { Counter, Gauge, Histogram, MetricsRegistry } from '../../core/metrics/registry.ts';

/** Alerting's own metrics. Labels stay bounded: targets come from sluice.yaml, never from rules or events. */
export interface AlertsMetrics {
  evaluations: Counter;
  evaluationSeconds: Histogram;
  evaluationsSkipped: Counter;
  ruleErrors: Counter;
  firing: Gauge;
  pending: Gauge;
  groupsDropped: Counter;
  notificationsSent: Counter;
  notificationsFailed: Counter;
  notificationRetries: Counter;
}

export function createAlertsMetrics(registry: MetricsRegistry): AlertsMetrics {
  return {
    evaluations: registry.counter(
      'sluice_alerts_evaluations_total',
      'Evaluations of every alert rule, by result (ok, error).',
      ['result'],
    ),
    evaluationSeconds: registry.histogram(
      'sluice_alerts_evaluation_duration_seconds',
      'Time one evaluation of every alert rule took.',
    ),
    evaluationsSkipped: registry.counter(
      'sluice_alerts_evaluations_skipped_total',
      'Scheduled evaluations skipped because the previous one was still running (a slow search store).',
    ),
    ruleErrors: registry.counter(
      'sluice_alerts_rule_errors_total',
      'Rule evaluations for one tenant that failed; their alerts keep their state until the next success.',
    ),
    firing: registry.gauge('sluice_alerts_firing', 'Alerts currently firing.'),
    pending: registry.gauge('sluice_alerts_pending', 'Alerts whose condition holds, waiting out `for`.'),
    groupsDropped: registry.counter(
      'sluice_alerts_groups_dropped_total',
      'Groups of group_by rules not evaluated because a rule had more than the group limit.',
    ),
    notificationsSent: registry.counter(
      'sluice_alerts_notifications_sent_total',
      'Alert notifications delivered.',
      ['target'],
    ),
    notificationsFailed: registry.counter(
      'sluice_alerts_notifications_failed_total',
      'Alert notifications given up on (retries exhausted, refused, queue full, shutdown).',
      ['target'],
    ),
    notificationRetries: registry.counter(
      'sluice_alerts_notification_retries_total',
      'Alert notification attempts that failed and were retried.',
      ['target'],
    ),
  };
}
