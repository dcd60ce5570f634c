/**
 * Live tail on the search page: matching events stream into the result list in time order (newest on
 * top, whatever order they arrive in), the last LIVE_CAP kept. Pausing keeps the stream open and holds
 * new events back (up to LIVE_CAP, the oldest dropped beyond) so the list stands still to be read;
 * resuming puts them in their places.
 */
import { formatCount } from './format.js';
import { startTail } from './tail.js';

export const LIVE_CAP = 1000;

/**
 * `list()` is the current log list; `say(text)` writes the summary line; `notice(text | null)` the
 * warning beside it; `failed(error)` ends the tail with an error to show.
 */
export function createLiveView({ api, list, say, notice, failed, pauseButton }) {
  let stop = null;
  let paused = false;
  let held = [];
  let status = 'connecting';
  let received = 0;
  let dropped = 0;
  let pending = [];

  const update = () => {
    if (status !== 'live') say(status);
    else if (paused)
      say(`❚❚ Paused · ${formatCount(received)} events received · ${formatCount(held.length)} new waiting`);
    else
      say(
        `● Live · ${formatCount(received)} events received · in time order, newest on top, last ${formatCount(LIVE_CAP)} kept`,
      );
  };
  const flush = () => {
    received += pending.length;
    if (paused) {
      held.push(...pending);
      if (held.length > LIVE_CAP) held = held.slice(held.length - LIVE_CAP);
    } else list().insertByTime(pending, LIVE_CAP);
    pending = [];
    update();
  };
  const setPaused = (value) => {
    paused = value;
    pauseButton.setAttribute('aria-pressed', String(paused));
    pauseButton.textContent = paused ? 'Resume' : 'Pause';
    if (!paused && held.length > 0) {
      list().insertByTime(held, LIVE_CAP);
      held = [];
    }
    update();
  };
  pauseButton.addEventListener('click', () => setPaused(!paused));

  return {
    get running() {
      return stop !== null;
    },
    start(q) {
      this.end();
      received = 0;
      dropped = 0;
      held = [];
      pending = [];
      status = 'Connecting live tail…';
      pauseButton.hidden = false;
      setPaused(false);
      stop = startTail(api, q, {
        onEvent: (event) => {
          // Batch DOM work to one update per frame, however fast events arrive.
          if (pending.length === 0) requestAnimationFrame(flush);
          pending.push(event);
        },
        onDropped: (n) => {
          dropped += n;
          notice(
            `The server dropped ${formatCount(dropped)} events because this page could not keep up. Narrow the query to see them all.`,
          );
        },
        onStatus: (next, detail) => {
          if (next === 'failed') {
            this.end();
            failed(detail);
            return;
          }
          if (next === 'stopped') return;
          status =
            next === 'live'
              ? 'live'
              : next === 'reconnecting' && detail > 0
                ? `Live tail lost its connection; reconnecting in ${detail} s (events in between are not replayed)…`
                : 'Connecting live tail…';
          update();
        },
      });
    },
    end() {
      stop?.();
      stop = null;
      pauseButton.hidden = true;
      notice(null);
    },
    get received() {
      return received;
    },
  };
}
