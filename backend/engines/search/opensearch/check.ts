import { type Client, errors } from '@opensearch-project/opensearch';
import type * as v from 'valibot';
import type { Logger } from '../../../../core/log/logger.ts';
import {
  type CheckResult,
  errorCode,
  failed,
  messageOf,
  passed,
  UNREACHABLE,
} from '../../../checks/result.ts';
import { createClient, describeError } from './client.ts';
import type { openSearchSchema } from './config.ts';
import { indexTemplate, templateName } from './indexTemplate.ts';

export type OpenSearchConfig = v.InferOutput<typeof openSearchSchema>;

/**
 * What the store's `init` needs, without changing the cluster: the nodes answer, the credentials are
 * accepted, and the index template Sluice would put is valid for this cluster (simulated, not stored).
 */
export async function checkOpenSearch(
  config: OpenSearchConfig,
  _deps: { log: Logger },
): Promise<CheckResult> {
  const where = config.nodes.join(',');
  let client: Client;
  try {
    client = connect(config);
  } catch (error) {
    return failed(`${where}: ${describe(error, config)}`);
  }
  try {
    const info = (await client.transport.request({ method: 'GET', path: '/' })).body as {
      version?: { number?: string };
      cluster_name?: string;
    };
    const name = templateName(config.index_prefix);
    try {
      await client.transport.request({
        method: 'POST',
        path: '/_index_template/_simulate',
        body: indexTemplate({
          prefix: config.index_prefix,
          shards: config.shards,
          replicas: config.replicas,
        }),
      });
    } catch (error) {
      return failed(`${where}: index template ${name} refused: ${describe(error, config)}`);
    }
    return passed(
      `${where}: OpenSearch ${info.version?.number ?? '?'} (cluster ${info.cluster_name ?? '?'}), index template ${name} accepted`,
    );
  } catch (error) {
    return failed(`${where}: ${describe(error, config)}`);
  } finally {
    await client.close().catch(() => undefined); // the answer is decided; closing only frees sockets
  }
}

/** For /readyz: the cluster answers with these credentials and is not red (some primaries unassigned). */
export async function probeOpenSearch(config: OpenSearchConfig): Promise<CheckResult> {
  const where = config.nodes.join(',');
  const client = connect(config);
  try {
    const health = (
      await client.transport.request({
        method: 'GET',
        path: '/_cluster/health',
        querystring: { timeout: '2s' },
      })
    ).body as { status?: string };
    return health.status === 'red'
      ? failed(`${where}: cluster status red (primary shards unassigned)`)
      : passed(`${where}: cluster status ${health.status ?? '?'}`);
  } catch (error) {
    return failed(`${where}: ${describe(error, config)}`);
  } finally {
    await client.close().catch(() => undefined);
  }
}

function connect(config: OpenSearchConfig): Client {
  return createClient({
    nodes: config.nodes,
    username: config.username,
    password: config.password,
    caFile: config.ca_file,
    requestTimeoutMs: 3000,
  });
}

function describe(error: unknown, config: OpenSearchConfig): string {
  if (error instanceof errors.ResponseError) {
    const status = error.statusCode ?? 0;
    if (status === 401)
      return config.username === undefined
        ? 'authentication required (401): set search.username and search.password'
        : `authentication as ${config.username} failed (401): check search.username and search.password`;
    if (status === 403)
      return `${config.username ?? 'anonymous'} is not allowed (${describeError(error)}): grant it index template and index rights on ${config.index_prefix}-*`;
    return describeError(error);
  }
  if (error instanceof errors.TimeoutError) return 'no answer within 3 s: is OpenSearch up and reachable?';
  const code = errorCode(error);
  if (code !== undefined && UNREACHABLE.has(code))
    return `no OpenSearch answers (${code}): start it or fix search.nodes`;
  if (code === 'ENOENT' || code === 'EACCES')
    return `cannot read search.ca_file ${config.ca_file ?? ''} (${code}): fix search.ca_file`;
  if (error instanceof errors.ConnectionError)
    return `no OpenSearch answers (${messageOf(error)}): start it or fix search.nodes`;
  return messageOf(error);
}
