import { Admin, createTopicsV7 } from '@platformatic/kafka';
import { type CheckResult, failed, messageOf } from '../../../../checks/result.ts';
import {
  type ClusterQuestions,
  describeFailure,
  type FailureFacts,
  type KafkaBusConfig,
  topicsVerdict,
} from '../checkVerdict.ts';
import type { KafkaBusOptions } from '../kafkaBus.ts';
import { withTimeout } from '../sendQueue.ts';
import { baseOptions } from './clientOptions.ts';

/**
 * Longest the whole check may take: the client's own request timeout does not cover a broker that
 * accepts connections and never answers, where it would wait for ever.
 */
const CHECK_TIMEOUT_MS = 6000;

/** `--check-config` of the bus through @platformatic/kafka (`bus.client: platformatic`); check.ts says what. */
export async function checkPlatformatic(
  config: KafkaBusConfig,
  ssl: KafkaBusOptions['ssl'],
  where: string,
): Promise<CheckResult> {
  const admin = new Admin({
    ...baseOptions({ brokers: config.brokers, clientId: config.client_id, sasl: config.sasl, ssl }),
    connectTimeout: 2000,
    timeout: 4000,
    retries: 1,
    retryDelay: 100,
  });
  try {
    return await withTimeout(topicsVerdict(questions(admin), config, where), CHECK_TIMEOUT_MS);
  } catch (error) {
    return failed(`${where}: ${describeFailure(facts(error), config)}`);
  } finally {
    await withTimeout(admin.close(), 2000).catch(() => undefined); // the check's answer is already decided
  }
}

function questions(admin: Admin): ClusterQuestions {
  return {
    brokers: async () => (await admin.metadata({ topics: [] })).brokers.size,
    topics: () => admin.listTopics(),
    partitions: async (topics) => {
      const metadata = await admin.metadata({ topics });
      return new Map(topics.map((t) => [t, metadata.topics.get(t)?.partitionsCount ?? 0]));
    },
    // The client's createTopics has no validate-only form; the protocol's request on its connection has.
    validateCreate: async (topics, numPartitions, replicationFactor) => {
      const { controllerId } = await admin.metadata({ topics: [] });
      const connection = (await admin.connectToBrokers([controllerId])).get(controllerId);
      if (connection === undefined)
        throw new Error(`no connection to the controller (broker ${controllerId})`);
      // A topic it refuses fails the call with the broker's error (INVALID_REPLICATION_FACTOR, …).
      await createTopicsV7.api.async(
        connection,
        topics.map((name) => ({ name, numPartitions, replicationFactor, assignments: [], configs: [] })),
        4000,
        true,
      );
    },
  };
}

/** Every error in the client's nesting (`errors` of an aggregate, `cause`), outermost first. */
function* nested(error: unknown, depth = 0): Generator<Record<string, unknown>> {
  if (typeof error !== 'object' || error === null || depth > 6) return;
  const e = error as Record<string, unknown>;
  yield e;
  if (Array.isArray(e.errors)) for (const inner of e.errors) yield* nested(inner, depth + 1);
  yield* nested(e.cause, depth + 1);
}

function facts(error: unknown): FailureFacts {
  const all = [...nested(error)];
  const apiId = all.map((e) => e.apiId).find((id) => typeof id === 'string' && id !== 'UNKNOWN');
  const code = all.map((e) => e.code).findLast((c) => typeof c === 'string' && !c.startsWith('PLT_KFK_'));
  const deepest = all.findLast((e) => e instanceof Error) ?? error;
  return {
    type: apiId as string | undefined,
    saslFailed: all.some((e) => e.code === 'PLT_KFK_AUTHENTICATION'),
    code: code as string | undefined,
    message: messageOf(deepest),
  };
}
