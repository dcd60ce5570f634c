import type * as v from 'valibot';
import { type CheckResult, failed, passed, UNREACHABLE } from '../../../checks/result.ts';
import { allTopics, topicNames } from '../../../runtime/topics.ts';
import type { kafkaBusSchema } from './config.ts';

/** The bus check's verdict and wording, shared by both Kafka clients' checks (check.ts, platformatic/check.ts). */

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
