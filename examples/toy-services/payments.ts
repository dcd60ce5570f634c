/**
 * Toy `payments` service: `POST /payments/charge {order_id, amount}` captures a charge, or declines one
 * over 1000. It never sees the client: the gateway sits in front of it (sluice.yaml, route /payments).
 *
 *   PORT=9002 LOG_FILE=./logs/payments.log node examples/toy-services/payments.ts
 */
import { randomUUID } from 'node:crypto';
import { correlationIdOf, readJson, runService, sendJson } from './service.ts';

runService('payments', 9002, async (req, res, log) => {
  const correlationId = correlationIdOf(req);
  if (req.method !== 'POST' || req.url !== '/payments/charge') {
    sendJson(res, 404, { error: `no route ${req.method} ${req.url}` });
    return;
  }
  const { order_id: orderId, amount } = await readJson(req);
  log.info('charge requested', correlationId, { order_id: orderId, amount });
  if (typeof amount !== 'number' || amount > 1000) {
    log.warn('charge declined', correlationId, { order_id: orderId, amount });
    sendJson(res, 402, { status: 'declined', order_id: orderId });
    return;
  }
  const paymentId = `pay_${randomUUID().slice(0, 8)}`;
  log.info('charge captured', correlationId, { order_id: orderId, payment_id: paymentId });
  sendJson(res, 200, { status: 'captured', order_id: orderId, payment_id: paymentId });
});
