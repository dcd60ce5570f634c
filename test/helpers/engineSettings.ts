/**
 * Where the engines are: SLUICE_* environment variables (as deploy/local/env.sh prints
 * them, or pointed elsewhere by CI), else the defaults pinned in deploy/local/versions.env.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { S3ClientOptions } from '../../core/s3/client.ts';

export const VERSIONS_ENV = join(import.meta.dirname, '../../deploy/local/versions.env');

export interface EngineSettings {
  kafkaBrokers: string[];
  opensearchUrl: string;
  pgUrl: string;
  s3: Pick<S3ClientOptions, 'endpoint' | 'region' | 'accessKeyId' | 'secretAccessKey'>;
}

/** Parses versions.env's plain `KEY=value` lines (comments and blank lines skipped). */
export function parseVersionsEnv(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const match = /^([A-Z][A-Z0-9_]*)=(\S*)$/.exec(line);
    if (!match)
      throw new Error(
        `${VERSIONS_ENV}:${index + 1}: expected KEY=value without spaces or quotes, got: ${line}`,
      );
    values[match[1]] = match[2];
  });
  return values;
}

let cachedVersions: Record<string, string> | undefined;

export function versionsEnv(): Record<string, string> {
  cachedVersions ??= parseVersionsEnv(readFileSync(VERSIONS_ENV, 'utf8'));
  return cachedVersions;
}

export function engineSettings(env: NodeJS.ProcessEnv = process.env): EngineSettings {
  const pinned = versionsEnv();
  // Like the shell scripts, an exported KAFKA_PORT etc. overrides versions.env.
  const value = (key: string): string => {
    const found = env[key] ?? pinned[key];
    if (found === undefined) throw new Error(`${key} is missing from ${VERSIONS_ENV}`);
    return found;
  };
  const pgUrl = `postgres://${value('PG_USER')}:${value('PG_PASSWORD')}@${value('PG_HOST')}:${value('PG_PORT')}/${value('PG_DATABASE')}`;
  return {
    kafkaBrokers: (env.SLUICE_KAFKA_BROKERS ?? `127.0.0.1:${value('KAFKA_PORT')}`)
      .split(',')
      .map((b) => b.trim()),
    opensearchUrl: env.SLUICE_OPENSEARCH_URL ?? `http://127.0.0.1:${value('OPENSEARCH_PORT')}`,
    pgUrl: env.SLUICE_PG_URL ?? pgUrl,
    s3: {
      endpoint: env.SLUICE_S3_ENDPOINT ?? `http://127.0.0.1:${value('S3PROXY_PORT')}`,
      region: env.SLUICE_S3_REGION ?? value('S3_REGION'),
      accessKeyId: env.SLUICE_S3_ACCESS_KEY ?? value('S3_ACCESS_KEY'),
      secretAccessKey: env.SLUICE_S3_SECRET_KEY ?? value('S3_SECRET_KEY'),
    },
  };
}
