import { readFile } from 'node:fs/promises';
import kafkajs, { type Admin, type KafkaConfig } from 'kafkajs';
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
import { allTopics, topicNames } from '../../../runtime/topics.ts';
import type { kafkaBusSchema } from './config.ts';

const { Kafka, logLevel } = kafkajs;

export type KafkaBusConfig = v.InferOutput<typeof kafkaBusSchema>;

/**
 * What `openBus` needs of Kafka, asked without changing anything: the brokers answer with these
 * credentials, and each topic either exists with at least `bus.partitions` partitions or would be
 * created (a validate-only CreateTopics, so replication and authorization are the broker's own verdict).
 */
export async function checkKafkaBus(config: KafkaBusConfig, _deps: { log: Logger }): Promise<CheckResult> {
  const where = config.brokers.join(',');
  let ssl: KafkaConfig['ssl'];
  try {
    ssl = await tlsOptions(config.ssl);
  } catch (error) {
    return failed(`${where}: ${messageOf(error)}`);
  }
  const kafka = new Kafka({
    clientId: config.client_id,
    brokers: config.brokers,
    ssl,
    sasl: config.sasl as KafkaConfig['sasl'],
    connectionTimeout: 2000,
    requestTimeout: 4000,
    retry: { retries: 1, initialRetryTime: 100, maxRetryTime: 300 },
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const problem = await topicsProblem(admin, config);
    return problem.ok ? passed(`${where}: ${problem.detail}`) : failed(`${where}: ${problem.detail}`);
  } catch (error) {
    return failed(`${where}: ${describeKafkaError(error, config)}`);
  } finally {
    await admin.disconnect().catch(() => undefined); // the check's answer is already decided
  }
}

async function topicsProblem(admin: Admin, config: KafkaBusConfig): Promise<CheckResult> {
  const brokers = (await admin.describeCluster()).brokers.length;
  const wanted = allTopics(topicNames(config.topic_prefix));
  const existing = new Set(await admin.listTopics());
  const present = wanted.filter((t) => existing.has(t));
  const missing = wanted.filter((t) => !existing.has(t));
  if (present.length > 0) {
    const { topics } = await admin.fetchTopicMetadata({ topics: present });
    const short = topics.filter((t) => t.partitions.length < config.partitions);
    if (short.length > 0) {
      const t = short[0];
      return failed(
        `topic ${t.name} has ${t.partitions.length} partitions, fewer than bus.partitions (${config.partitions}): add partitions (kafka-topics.sh --alter --topic ${t.name} --partitions ${config.partitions}) or set bus.partitions: ${t.partitions.length}`,
      );
    }
  }
  if (missing.length > 0) {
    if (config.replication > brokers)
      return failed(
        `topic ${missing[0]} cannot be created: bus.replication is ${config.replication} but the cluster has ${brokers} broker(s): set bus.replication: ${brokers} or add brokers`,
      );
    await admin.createTopics({
      validateOnly: true,
      waitForLeaders: false,
      topics: missing.map((topic) => ({
        topic,
        numPartitions: config.partitions,
        replicationFactor: config.replication,
      })),
    });
  }
  const says = [
    `${brokers} broker(s)`,
    present.length > 0 ? `${present.length} topic(s) present with ≥ ${config.partitions} partitions` : '',
    missing.length > 0
      ? `${missing.length} topic(s) can be created (${config.partitions} partitions, replication ${config.replication})`
      : '',
  ];
  return passed(says.filter((s) => s !== '').join(', '));
}

/** kafkajs nests the reason (refused, SASL, ACL) in causes and per-topic errors; say it in Kafka's terms. */
function describeKafkaError(error: unknown, config: KafkaBusConfig): string {
  const name = (error as { name?: string }).name ?? '';
  const type = kafkaErrorType(error);
  if (name === 'KafkaJSSASLAuthenticationError')
    return `SASL authentication as ${config.sasl?.username ?? '?'} failed (${messageOf(error)}): check bus.sasl`;
  if (type === 'TOPIC_AUTHORIZATION_FAILED' || type === 'CLUSTER_AUTHORIZATION_FAILED')
    return `not allowed to create or describe the topics (${type}): grant ${config.sasl?.username ?? 'this client'} Create and Describe on topics ${topicNames(config.topic_prefix).raw} …, or create them beforehand`;
  if (type === 'INVALID_REPLICATION_FACTOR')
    return `topics cannot be created with replication ${config.replication} (INVALID_REPLICATION_FACTOR): set bus.replication`;
  if (type !== undefined) return `the broker refused: ${type}: ${messageOf(error)}`;
  const code = errorCode(error);
  if (code !== undefined && UNREACHABLE.has(code))
    return `no broker answers (${code}): start Kafka or fix bus.brokers`;
  if (/ssl|tls|certificate/i.test(messageOf(error)))
    return `TLS to the brokers failed (${messageOf(error)}): check bus.ssl`;
  return `${messageOf(error)}: check bus.brokers, bus.sasl and bus.ssl`;
}

/** The broker's error type, at the top or in the first of the per-topic errors of a batch. */
function kafkaErrorType(error: unknown): string | undefined {
  const e = error as { type?: unknown; errors?: unknown[]; cause?: unknown };
  if (typeof e?.type === 'string' && e.type !== 'UNKNOWN') return e.type;
  if (Array.isArray(e?.errors) && e.errors.length > 0) return kafkaErrorType(e.errors[0]);
  return undefined;
}

async function tlsOptions(ssl: KafkaBusConfig['ssl']): Promise<KafkaConfig['ssl']> {
  if (ssl === undefined) return undefined;
  const read = async (file: string | undefined, key: string) => {
    if (file === undefined) return undefined;
    try {
      return await readFile(file);
    } catch (error) {
      throw new Error(`cannot read ${key} ${file} (${errorCode(error) ?? messageOf(error)}): fix ${key}`);
    }
  };
  return {
    ca: await read(ssl.ca_file, 'bus.ssl.ca_file'),
    cert: await read(ssl.cert_file, 'bus.ssl.cert_file'),
    key: await read(ssl.key_file, 'bus.ssl.key_file'),
    rejectUnauthorized: !ssl.insecure_skip_verify,
  };
}
