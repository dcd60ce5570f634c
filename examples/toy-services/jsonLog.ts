/**
 * The toy services' own logging: one JSON object a line, appended to a file, the way many real services
 * log. Every line carries the correlation id of the request it belongs to, so an agent tailing the file
 * (agent.yaml) ships lines that Sluice's trace view puts next to the gateway's access events.
 */
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export interface JsonLog {
  info(message: string, correlationId: string | null, fields?: Record<string, unknown>): void;
  warn(message: string, correlationId: string | null, fields?: Record<string, unknown>): void;
  close(): Promise<void>;
}

export function openJsonLog(file: string, service: string): JsonLog {
  mkdirSync(dirname(file), { recursive: true });
  const out = createWriteStream(file, { flags: 'a' });
  const write = (level: string, message: string, correlationId: string | null, fields = {}) => {
    out.write(
      `${JSON.stringify({ ts: new Date().toISOString(), level, service, correlation_id: correlationId, message, ...fields })}\n`,
    );
  };
  return {
    info: (message, correlationId, fields) => write('info', message, correlationId, fields),
    warn: (message, correlationId, fields) => write('warn', message, correlationId, fields),
    close: () => new Promise((resolve) => out.end(resolve)),
  };
}
