import * as v from 'valibot';
import { hostPortSchema } from '../../../core/config/fields/address.ts';
import { durationSchema } from '../../../core/units/schema.ts';
import { commonInputKeys, formatKey } from '../commonConfig.ts';

export const syslogInputSchema = v.strictObject({
  type: v.pipe(v.literal('syslog'), v.description('What the input reads.')),
  listen: v.pipe(
    hostPortSchema(),
    v.description(
      'Address to receive syslog on (UDP and/or TCP, the same port). Ports below 1024 need privileges: 5514 is customary.',
    ),
    v.metadata({ example: '0.0.0.0:5514' }),
  ),
  protocols: v.optional(
    v.pipe(
      v.array(v.picklist(['udp', 'tcp'])),
      v.minLength(1),
      v.description(
        'Transports to listen on. TCP takes octet-counted and newline-terminated frames (RFC 6587), decided per message.',
      ),
    ),
    ['udp', 'tcp'],
  ),
  format: formatKey(
    ['syslog'],
    'Messages are RFC 5424 or RFC 3164 (`<PRI>` optional), told apart per message.',
    'syslog',
  ),
  max_connections: v.optional(
    v.pipe(
      v.number(),
      v.integer(),
      v.minValue(1),
      v.description('TCP connections held at once; more are refused (closed at once) until one ends.'),
    ),
    256,
  ),
  idle_timeout: v.optional(
    v.pipe(
      durationSchema({ min: 1000 }),
      v.description('A TCP connection that sends nothing for this long is closed (senders reconnect).'),
    ),
    '10m',
  ),
  ...commonInputKeys,
});

export type SyslogInputConfig = v.InferOutput<typeof syslogInputSchema>;
