/**
 * Toy `orders` service: `POST /orders/<id> {amount}` places an order and has `payments` charge it.
 * It calls payments THROUGH the gateway (`GATEWAY_URL`/payments/charge), passing on the X-Correlation-ID
 * it received, so the gateway keeps that id for the second hop and records both hops under it.
 *
 *   PORT=9001 GATEWAY_URL=http://127.0.0.1:8080 LOG_FILE=./logs/orders.log node examples/toy-services/orders.ts
 */
import { CORRELATION_HEADER, correlationIdOf, readJson, runService, sendJson } from './service.ts';

const gateway = process.env.GATEWAY_URL ?? 'http://127.0.0.1:8080';

runService('orders', 9001, async (req, res, log) => {
  const correlationId = correlationIdOf(req);
  const match = /^\/orders\/([\w-]{1,64})$/.exec(req.url ?? '');
  if (req.method !== 'POST' || match === null) {
    sendJson(res, 404, { error: `no route ${req.method} ${req.url}` });
    return;
  }
  const orderId = match[1];
  const { amount = 42.5 } = await readJson(req);
  log.info('order received', correlationId, { order_id: orderId, amount });

  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (correlationId !== null) headers[CORRELATION_HEADER] = correlationId;
  const traceparent = req.headers.traceparent;
  if (typeof traceparent === 'string') headers.traceparent = traceparent;
  const charge = await fetch(`${gateway}/payments/charge`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ order_id: orderId, amount }),
    signal: AbortSignal.timeout(10_000),
  });
  const payment = (await charge.json()) as { status?: string; payment_id?: string };
  if (charge.status !== 200) {
    log.warn('order not paid', correlationId, { order_id: orderId, payment_status: charge.status });
    sendJson(res, 402, { order_id: orderId, status: 'payment_declined' });
    return;
  }
  log.info('order paid', correlationId, { order_id: orderId, payment_id: payment.payment_id });
  sendJson(res, 201, { order_id: orderId, status: 'paid', payment_id: payment.payment_id });
});
