import { readFile } from 'node:fs/promises';
import kafkajs, { type Admin, type KafkaConfig } from 'kafkajs';
import type { Logger } from '../../../../core/log/logger.ts';
import { type CheckResult, errorCode, failed, messageOf } from '../../../checks/result.ts';
import {
  type ClusterQuestions,
  describeFailure,
  type FailureFacts,
  type KafkaBusConfig,
  topicsVerdict,
} from './checkVerdict.ts';
import type { KafkaBusOptions } from './kafkaBus.ts';

const { Kafka, logLevel } = kafkajs;

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
