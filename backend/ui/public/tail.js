/**
 * Live tail: keeps one stream open for a query, reconnecting with backoff when the connection drops
 * (a restarted server, a proxy timeout). A refusal the user must act on (bad query, bad key, too many
 * tails) stops it instead of retrying forever. The tail starts at "now" on every connection, so events
 * that passed while disconnected are not replayed; the status says so.
 */
const BACKOFF_MS = [1000, 2000, 5000, 10_000, 30_000];

/**
 * `handlers`: `onEvent(event)`, `onDropped(n)`, `onStatus(status, detail)` with status one of
 * `connecting`, `live`, `reconnecting` (detail: seconds), `stopped`, `failed` (detail: the ApiError).
 * Returns `stop()`.
 */
export function startTail(api, q, handlers) {
  const controller = new AbortController();
  let attempt = 0;

  const onMessage = (message) => {
    if (message.event === 'dropped') {
      let n = 0;
      try {
        n = Number(JSON.parse(message.data).dropped) || 0;
      } catch {
        // A malformed notice still means events were dropped; report it without a count.
      }
      handlers.onDropped(n);
      return;
    }
    if (message.event !== 'message') return;
    let event;
    try {
      event = JSON.parse(message.data);
    } catch {
      return; // one unreadable message must not end the tail
    }
    handlers.onEvent(event);
  };

  const run = async () => {
    while (!controller.signal.aborted) {
      handlers.onStatus(attempt === 0 ? 'connecting' : 'reconnecting', 0);
      const onOpen = () => {
        attempt = 0;
        handlers.onStatus('live');
      };
      try {
        await api.tail(q, { onOpen, onMessage }, controller.signal);
      } catch (error) {
        if (controller.signal.aborted) break;
        if (error.status >= 400 && error.status < 500 && error.status !== 408) {
          handlers.onStatus('failed', error);
          return;
        }
      }
      if (controller.signal.aborted) break;
      const wait = BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)];
      attempt++;
      handlers.onStatus('reconnecting', Math.round(wait / 1000));
      await sleep(wait, controller.signal);
    }
    handlers.onStatus('stopped');
  };
  void run();
  return () => controller.abort();
}

function sleep(ms, signal) {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
