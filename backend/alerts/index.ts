/** Alerting (docs/alerts.md): rules, evaluation, notifications, the alerts API and its store. */

export { type AlertsApiDeps, createAlertsApi } from './api/alertsApi.ts';
export { AlertConfigError } from './rules/configRules.ts';
export { type Alerting, type AlertingOptions, startAlerting } from './startAlerting.ts';
export type { AlertStore } from './store/alertStore.ts';
export { openAlertStore } from './store/openAlertStore.ts';
export { openPostgresAlertStore } from './store/postgresAlertStore.ts';
export { openSqliteAlertStore } from './store/sqliteAlertStore.ts';
