/** Longest slice of the offending input an error message repeats, so a huge value cannot flood logs. */
const MAX_INPUT_IN_MESSAGE = 64;

export function boundedInput(input: string): string {
  return input.length > MAX_INPUT_IN_MESSAGE ? `${input.slice(0, MAX_INPUT_IN_MESSAGE)}…` : input;
}

/** A time value (timestamp, epoch number or relative time like `now-15m`) that cannot be understood. */
export class TimeInvalidError extends Error {
  readonly code = 'time_invalid';
  /** The offending input, cut to a bounded length. */
  readonly input: string;

  constructor(input: string, reason: string) {
    super(`invalid time '${boundedInput(input)}': ${reason}`);
    this.name = 'TimeInvalidError';
    this.input = boundedInput(input);
  }
}
