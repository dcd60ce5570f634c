import * as v from 'valibot';
import { isLoopback } from '../../core/config/fields/address.ts';
import { authSchema, limitsSchema, proxySchema, tlsSchema } from './access.ts';
import {
  alertsSchema,
  indexerSchema,
  leasesSchema,
  listenSchema,
  logSchema,
  retentionSchema,
  rolesSchema,
} from './operations.ts';
import { processingSchema } from './processing.ts';
import { archiveSchema, busSchema, metricsSchema, searchSchema } from './stores.ts';

/**
 * `sluice.yaml`: the server side (gateway, workers, query API, standalone), contracts.md §4.
 * An empty file is a working standalone setup: embedded bus, SQLite search and metrics, local archive,
 * all under ./data, listening on 127.0.0.1:8080.
 */
export const serverConfigSchema = v.pipe(
  v.strictObject({
    listen: listenSchema,
    bus: busSchema,
    search: searchSchema,
    metrics: metricsSchema,
    archive: archiveSchema,
    processing: processingSchema,
    indexer: indexerSchema,
    retention: retentionSchema,
    auth: authSchema,
    proxy: proxySchema,
    limits: limitsSchema,
    tls: tlsSchema,
    alerts: alertsSchema,
    roles: rolesSchema,
    leases: leasesSchema,
    log: logSchema,
  }),
  // Without keys anyone who can reach the port could ingest and read, so only this machine may.
  v.forward(
    v.check(
      (config) => config.auth.keys.length > 0 || isLoopback(config.listen.gateway),
      (issue) =>
        `listening on ${(issue.input as Listening).listen.gateway} needs at least one key in auth.keys; add one, or listen on 127.0.0.1`,
    ),
    ['listen', 'gateway'],
  ),
  v.forward(
    v.check(
      (config) => config.auth.keys.length > 0 || isLoopback(config.listen.query),
      (issue) =>
        `listening on ${(issue.input as Listening).listen.query} needs at least one key in auth.keys; add one, or listen on 127.0.0.1`,
    ),
    ['listen', 'query'],
  ),
  v.forward(
    v.check(
      (config) =>
        config.auth.keys.length > 0 ||
        config.listen.otlp_grpc === undefined ||
        isLoopback(config.listen.otlp_grpc),
      (issue) =>
        `listening on ${(issue.input as Listening).listen.otlp_grpc} needs at least one key in auth.keys; add one, or listen on 127.0.0.1`,
    ),
    ['listen', 'otlp_grpc'],
  ),
);

interface Listening {
  listen: { gateway: string; query: string; otlp_grpc?: string };
}

export type ServerConfig = v.InferOutput<typeof serverConfigSchema>;
