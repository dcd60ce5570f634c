import { type BaseOptions, SASLMechanisms } from '@platformatic/kafka';
import type { KafkaBusOptions } from '../kafkaBus.ts';

const MECHANISM = {
  plain: SASLMechanisms.PLAIN,
  'scram-sha-256': SASLMechanisms.SCRAM_SHA_256,
  'scram-sha-512': SASLMechanisms.SCRAM_SHA_512,
} as const;

/** What every @platformatic/kafka client of one bus shares: brokers, client id, TLS, SASL, timeouts. */
export function baseOptions(
  options: Pick<KafkaBusOptions, 'brokers' | 'clientId' | 'ssl' | 'sasl'>,
): BaseOptions {
  const base: BaseOptions = {
    clientId: options.clientId ?? 'sluice',
    bootstrapBrokers: options.brokers,
    connectTimeout: 3000,
    // Per request; produce() has its own overall deadline on top (KafkaBusOptions.produceTimeoutMs).
    timeout: 10_000,
    retries: 3,
    retryDelay: 250,
    autocreateTopics: false,
  };
  // The client validates its options: keys with an undefined value are left out rather than passed.
  if (options.ssl !== undefined) base.tls = options.ssl;
  if (options.sasl !== undefined)
    base.sasl = {
      mechanism: MECHANISM[options.sasl.mechanism],
      username: options.sasl.username,
      password: options.sasl.password,
    };
  return base;
}
