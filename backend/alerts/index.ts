/** Alerting (docs/alerts.md): rules, evaluation, notifications, the alerts API and its store. */

export type { AlertStore } from '../../core/ports/alertStore.ts';
export { openPostgresAlertStore } from '../engines/alerts/postgres/postgresAlertStore.ts';
export { openSqliteAlertStore } from '../engines/alerts/sqlite/sqliteAlertStore.ts';
export { type AlertsApiDeps, createAlertsApi } from './api/alertsApi.ts';
export { AlertConfigError } from './rules/configRules.ts';
export { type Alerting, type AlertingOptions, startAlerting } from './startAlerting.ts';
export { openAlertStore } from './store/openAlertStore.ts';
