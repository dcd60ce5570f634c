import { DiagLogLevel, diag } from '@opentelemetry/api';

/**
 * Collects what OpenTelemetry's SDK and exporters report at warn or error (they report export failures
 * there, never by throwing), replacing the previous test's logger; a test asserts the list stays empty.
 */
export function captureOtelDiag(): string[] {
  const said: string[] = [];
  diag.disable();
  const keep = (...args: unknown[]) => said.push(args.map(String).join(' '));
  diag.setLogger(
    { error: keep, warn: keep, info: () => {}, debug: () => {}, verbose: () => {} },
    DiagLogLevel.WARN,
  );
  return said;
}
