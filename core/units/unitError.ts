/** Thrown when a duration or size written by a person cannot be read; the message says how to write it. */
export class UnitError extends Error {
  readonly code: 'duration_invalid' | 'size_invalid';
  /** The text that was given (bounded), for callers that render their own message. */
  readonly input: string;
  /** What is wrong, without the input or the hint, e.g. `unknown unit "parsecs"`. */
  readonly reason: string;
  constructor(code: 'duration_invalid' | 'size_invalid', input: string, reason: string, hint: string) {
    super(`invalid ${code === 'duration_invalid' ? 'duration' : 'size'} ${quote(input)}: ${reason}; ${hint}`);
    this.name = 'UnitError';
    this.code = code;
    this.input = input.length > 80 ? `${input.slice(0, 80)}…` : input;
    this.reason = reason;
  }
}

function quote(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}
