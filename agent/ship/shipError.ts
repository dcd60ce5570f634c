/** Why the shipper cannot do what was asked; `code` is stable for callers and logs. */
export class ShipError extends Error {
  readonly code: 'shipper_closed' | 'bad_gateway_config';

  constructor(code: ShipError['code'], message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ShipError';
    this.code = code;
  }
}

export function shipperClosed(): ShipError {
  return new ShipError('shipper_closed', 'the shipper is closed (shutting down); no more events are taken');
}
