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
import type { KafkaBusOptions } from './kafkaBus.ts';

const { Kafka, logLevel } = kafkajs;

export type KafkaBusConfig = v.InferOutput<typeof kafkaBusSchema>;

/** What a check asks of the cluster, through whichever client `bus.client` names. */
export interface ClusterQuestions {
  brokers(): Promise<number>;
  topics(): Promise<string[]>;
  /** Partitions of each of these existing topics. */
  partitions(topics: string[]): Promise<Map<string, number>>;
  /** A validate-only CreateTopics: the broker's verdict on replication and authorization, nothing created. */
  validateCreate(topics: string[], partitions: number, replication: number): Promise<void>;
}

/** What went wrong, as each client finds it in its own errors. */
export interface FailureFacts {
  /** Kafka's error name (TOPIC_AUTHORIZATION_FAILED, …) when the broker refused. */
  type: string | undefined;
  saslFailed: boolean;
  /** The system error code (ECONNREFUSED, …) when the broker could not be reached. */
  code: string | undefined;
  message: string;
}

/**
 * What `openBus` needs of Kafka, asked without changing anything, with the client the config names:
 * the brokers answer with these credentials, and each topic either exists with at least
 * `bus.partitions` partitions or would be created (a validate-only CreateTopics, so replication and
 * authorization are the broker's own verdict).
 */
export async function checkKafkaBus(config: KafkaBusConfig, _deps: { log: Logger }): Promise<CheckResult> {
  const where = config.brokers.join(',');
  let ssl: KafkaBusOptions['ssl'];
  try {
    ssl = await tlsOptions(config.ssl);
  } catch (error) {
    return failed(`${where}: ${messageOf(error)}`);
  }
  if (config.client === 'platformatic')
    return (await import('./platformatic/check.ts')).checkPlatformatic(config, ssl, where);
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
    return await topicsVerdict(kafkajsQuestions(admin), config, where);
  } catch (error) {
    return failed(`${where}: ${describeFailure(kafkajsFacts(error), config)}`);
  } finally {
    await admin.disconnect().catch(() => undefined); // the check's answer is already decided
  }
}

function kafkajsQuestions(admin: Admin): ClusterQuestions {
  return {
    brokers: async () => (await admin.describeCluster()).brokers.length,
    topics: () => admin.listTopics(),
    partitions: async (topics) => {
      const metadata = await admin.fetchTopicMetadata({ topics });
      return new Map(metadata.topics.map((t) => [t.name, t.partitions.length]));
    },
    validateCreate: async (topics, numPartitions, replicationFactor) => {
      await admin.createTopics({
        validateOnly: true,
        waitForLeaders: false,
        topics: topics.map((topic) => ({ topic, numPartitions, replicationFactor })),
      });
    },
  };
}

/** The check's verdict on the topics Sluice needs, from the cluster's answers. */
export async function topicsVerdict(
  ask: ClusterQuestions,
  config: KafkaBusConfig,
  where: string,
): Promise<CheckResult> {
  const brokers = await ask.brokers();
  const wanted = allTopics(topicNames(config.topic_prefix));
  const existing = new Set(await ask.topics());
  const present = wanted.filter((t) => existing.has(t));
  const missing = wanted.filter((t) => !existing.has(t));
  if (present.length > 0) {
    const partitions = await ask.partitions(present);
    const short = present.find((t) => (partitions.get(t) ?? 0) < config.partitions);
    if (short !== undefined) {
      const has = partitions.get(short) ?? 0;
      return failed(
        `${where}: topic ${short} has ${has} partitions, fewer than bus.partitions (${config.partitions}): add partitions (kafka-topics.sh --alter --topic ${short} --partitions ${config.partitions}) or set bus.partitions: ${has}`,
      );
    }
  }
  if (missing.length > 0) {
    if (config.replication > brokers)
      return failed(
        `${where}: topic ${missing[0]} cannot be created: bus.replication is ${config.replication} but the cluster has ${brokers} broker(s): set bus.replication: ${brokers} or add brokers`,
      );
    await ask.validateCreate(missing, config.partitions, config.replication);
  }
  const says = [
    `${brokers} broker(s)`,
    present.length > 0 ? `${present.length} topic(s) present with ≥ ${config.partitions} partitions` : '',
    missing.length > 0
      ? `${missing.length} topic(s) can be created (${config.partitions} partitions, replication ${config.replication})`
      : '',
  ];
  return passed(`${where}: ${says.filter((s) => s !== '').join(', ')} (client ${config.client})`);
}

/** A failure in Kafka's terms and what to do about it, whichever client saw it. */
export function describeFailure(facts: FailureFacts, config: KafkaBusConfig): string {
  const { type, code, message } = facts;
  if (facts.saslFailed)
    return `SASL authentication as ${config.sasl?.username ?? '?'} failed (${message}): check bus.sasl`;
  if (type === 'TOPIC_AUTHORIZATION_FAILED' || type === 'CLUSTER_AUTHORIZATION_FAILED')
    return `not allowed to create or describe the topics (${type}): grant ${config.sasl?.username ?? 'this client'} Create and Describe on topics ${topicNames(config.topic_prefix).raw} …, or create them beforehand`;
  if (type === 'INVALID_REPLICATION_FACTOR')
    return `topics cannot be created with replication ${config.replication} (INVALID_REPLICATION_FACTOR): set bus.replication`;
  if (type !== undefined) return `the broker refused: ${type}: ${message}`;
  if (code !== undefined && UNREACHABLE.has(code))
    return `no broker answers (${code}): start Kafka or fix bus.brokers`;
  if (/ssl|tls|certificate/i.test(message)) return `TLS to the brokers failed (${message}): check bus.ssl`;
  return `${message}: check bus.brokers, bus.sasl and bus.ssl`;
}

/** kafkajs nests the reason (refused, SASL, ACL) in causes and per-topic errors. */
function kafkajsFacts(error: unknown): FailureFacts {
  return {
    type: kafkaErrorType(error),
    saslFailed: (error as { name?: string }).name === 'KafkaJSSASLAuthenticationError',
    code: errorCode(error),
    message: messageOf(error),
  };
}

/** The broker's error type, at the top or in the first of the per-topic errors of a batch. */
function kafkaErrorType(error: unknown): string | undefined {
  const e = error as { type?: unknown; errors?: unknown[]; cause?: unknown };
  if (typeof e?.type === 'string' && e.type !== 'UNKNOWN') return e.type;
  if (Array.isArray(e?.errors) && e.errors.length > 0) return kafkaErrorType(e.errors[0]);
  return undefined;
}

export async function tlsOptions(ssl: KafkaBusConfig['ssl']): Promise<KafkaBusOptions['ssl']> {
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
