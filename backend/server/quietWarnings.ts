/**
 * kafkajs 2.2.4 schedules a timer with a negative delay on every connection, which Node 24 reports as a
 * TimeoutNegativeWarning (kafkajs issue #1751; harmless: Node uses 1 ms). Only that warning is dropped,
 * so operators do not chase it; every other warning is printed as usual.
 */
export function quietKnownWarnings(): void {
  const emit = process.emitWarning.bind(process) as (...args: unknown[]) => void;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const name = typeof warning === 'string' ? (typeof rest[0] === 'string' ? rest[0] : '') : warning.name;
    const type =
      typeof rest[0] === 'object' && rest[0] !== null ? (rest[0] as { type?: string }).type : undefined;
    if (name === 'TimeoutNegativeWarning' || type === 'TimeoutNegativeWarning') return;
    emit(warning, ...rest);
  }) as typeof process.emitWarning;
}
