/**
 * The web UI in a real browser (Chromium from Debian, driven by playwright-core) against a real
 * standalone Sluice with seeded events: every view and interaction docs/ui.md describes, each checked
 * against what the API answers for the same question. One browser and one server for the whole suite.
 * Screenshots of each view go to SCREENSHOTS (browser.ts); docs/ui.md shows the committed ones.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { waitFor } from '../../helpers/waitFor.ts';
import { type Browser, launchBrowser, pageErrors } from './browser.ts';
import {
  ADMIN_KEY,
  READER_KEY,
  type SeedEvent,
  type SluiceUnderTest,
  startSluice,
} from './sluiceUnderTest.ts';

let sluice: SluiceUnderTest;
let browser: Browser;
const open: Page[] = [];

before(async () => {
  [sluice, browser] = await Promise.all([startSluice(), launchBrowser()]);
});

after(async () => {
  for (const page of open) assert.deepEqual(pageErrors(page), [], `uncaught errors on ${page.url()}`);
  await browser?.close();
  await sluice?.stop();
});

async function page(hash: string, options: { key?: string; width?: number; height?: number } = {}) {
  const p = await browser.page({ url: `${sluice.url}/${hash}`, key: options.key ?? READER_KEY, ...options });
  open.push(p);
  return p;
}

/** The search's hit count as the summary line shows it, once the search is done. */
async function hitCount(p: Page): Promise<number> {
  const text = await waitFor('a search summary', async () => {
    const t = (await p.textContent('#summary')) ?? '';
    return /\d+ hits?/.test(t) ? t : null;
  });
  return Number(/([\d,]+) hits?/.exec(text)?.[1].replaceAll(',', ''));
}

const count = (events: SeedEvent[], keep: (e: SeedEvent) => boolean) => events.filter(keep).length;
const isError = (e: SeedEvent) => e.level === 'error' || e.level === 'fatal';
const RANGE = 'from=now-15m';

describe('search view', () => {
  it('lists the hits of a query with matched words marked', async () => {
    const p = await page(`#q=timeout&${RANGE}`);
    const expected = count(sluice.events, (e) => e.message.includes('timeout'));
    assert.equal(await hitCount(p), expected);
    const marks = await p.$$eval('#results .c-msg mark', (nodes) => nodes.map((n) => n.textContent));
    assert.ok(marks.length > 0 && marks.every((m) => m === 'timeout'), JSON.stringify(marks.slice(0, 5)));
    // A negated word and a field term are not marked.
    const other = await page(`#q=${encodeURIComponent('placed -timeout service:payments')}&${RANGE}`);
    assert.equal(
      await hitCount(other),
      count(sluice.events, (e) => e.message.startsWith('order placed') && e.service === 'payments'),
    );
    const others = await other.$$eval('#results .c-msg mark', (nodes) => [
      ...new Set(nodes.map((n) => n.textContent)),
    ]);
    assert.deepEqual(others, ['placed']);
  });

  it('keeps the columns and the sort order in the URL', async () => {
    const p = await page(`#q=${encodeURIComponent('service:payments')}&${RANGE}`);
    await hitCount(p);
    await p.click('.field[data-field="host"] .column-toggle');
    await waitFor('the host column', () => p.$('#results th[data-col="host"]'));
    assert.match(p.url(), /cols=level,service,correlation_id,message,host/);
    await p.click('#results button.sort');
    await waitFor('ascending order in the URL', () => p.url().includes('order=asc'));
    const oldest = sluice.events.find((e) => e.service === 'payments');
    const firstTime = (q: Page) => q.getAttribute('#results tbody tr.log-row td.c-time', 'title');
    // The hash changes before the page has searched again: wait for the list itself.
    await waitFor('the oldest event first', async () => (await firstTime(p)) === oldest?.ts);
    // The same URL in a new tab shows the same columns and order.
    const again = await page(new URL(p.url()).hash);
    await hitCount(again);
    assert.equal(await firstTime(again), oldest?.ts);
    assert.ok(await again.$('#results th[data-col="host"]'));
  });
});

describe('live tail', () => {
  it('shows arriving events in time order, and holds them back while paused', async () => {
    const p = await page(`#q=${encodeURIComponent('service:tailtest')}`);
    await hitCount(p).catch(() => 0);
    await p.click('#live');
    await waitFor('the live tail to connect', async () =>
      ((await p.textContent('#summary')) ?? '').includes('Live'),
    );
    const t = Date.now();
    const at = (ms: number, n: number) => ({
      ts: new Date(t + ms).toISOString(),
      service: 'tailtest',
      host: 'node-9',
      level: 'info',
      message: `tail event ${n}`,
    });
    // Sent out of time order, as services batching independently deliver them.
    await sluice.ingest([at(-3000, 2), at(-5000, 1), at(-1000, 3)]);
    const messages = () => p.$$eval('#results tr.log-row .c-msg', (cells) => cells.map((c) => c.textContent));
    await waitFor('three tailed events', async () => ((await messages()).length === 3 ? true : null));
    assert.deepEqual(await messages(), ['tail event 3', 'tail event 2', 'tail event 1']);

    await p.click('#pause');
    await sluice.ingest([at(-2000, 4)]);
    await waitFor('the paused count', async () =>
      ((await p.textContent('#summary')) ?? '').includes('1 new waiting'),
    );
    assert.equal((await messages()).length, 3);
    await browser.screenshot(p, 'live-tail-paused');
    await p.click('#pause');
    await waitFor('the held event shown', async () => ((await messages()).length === 4 ? true : null));
    assert.deepEqual(await messages(), ['tail event 3', 'tail event 4', 'tail event 2', 'tail event 1']);
    await p.click('#live');
  });
});

describe('layout', () => {
  it('stays usable at 400 px: a wide query box, nothing off-screen', async () => {
    const p = await page(`#q=timeout&${RANGE}`, { width: 400, height: 800 });
    await hitCount(p);
    const box = await p.$eval('#q', (el) => el.getBoundingClientRect().width);
    assert.ok(box >= 300, `query box ${box} px wide`);
    const overflow = await p.$eval('html', (el) => el.scrollWidth);
    assert.ok(overflow <= 400, `the page is ${overflow} px wide`);
    const right = await p.$eval('#results tr.log-row .c-msg', (el) => el.getBoundingClientRect().right);
    assert.ok(right <= 400, `the message ends at ${right} px`);
    await browser.screenshot(p, 'search-400px');
  });
});

describe('context', () => {
  it('shows the events before and after a hit from the same host and file', async () => {
    const p = await page(`#q=${encodeURIComponent('seq120')}&${RANGE}`);
    assert.equal(await hitCount(p), 1);
    await p.click('#results tr.log-row .c-msg');
    await p.click('.context-button');
    await waitFor('the context', () => p.$('.context-list'));
    const hit = sluice.events[120];
    const same = sluice.events.filter((e) => e.host === hit.host && e.service === hit.service);
    const at = same.indexOf(hit);
    const expected = same.slice(Math.max(0, at - 10), at + 11).map((e) => e.message);
    const shown = await p.$$eval('.context-list tr .c-msg', (cells) => cells.map((c) => c.textContent));
    assert.deepEqual(shown, expected);
    assert.equal(await p.textContent('.context-hit .c-msg'), hit.message);
    assert.match(
      (await p.textContent('.context-note')) ?? '',
      /same host=node-\d, log\.file\.path=\/var\/log\/\w+\.log/,
    );
    await browser.screenshot(p, 'context');
  });
});

describe('alerts view', () => {
  it('lists rules with their state and last evaluation, and links a firing alert to its events', async () => {
    const p = await page('#view=alerts');
    const row = '.rule-row[data-rule="checkout-errors"]';
    let lastRules: unknown;
    await waitFor(
      'the sluice.yaml rule to be evaluated and fire',
      async () => {
        await p.reload();
        await p.waitForSelector(row);
        lastRules = await sluice.api.json('/api/v1/alerts/rules');
        const state = await p.textContent(`${row} .state-badge`);
        return (
          state === 'firing' && !((await p.textContent(`${row} .last-evaluation`)) ?? '').includes('not yet')
        );
      },
      {
        timeoutMs: 60_000,
        intervalMs: 1000,
        context: () => `${sluice.logTail()}\n${JSON.stringify(lastRules)}`,
      },
    );
    const errors = count(sluice.events, (e) => e.service === 'checkout' && isError(e));
    assert.match((await p.textContent(`${row} .last-evaluation`)) ?? '', new RegExp(`count ${errors}$`));
    // A reader sees no controls to change rules.
    assert.equal(await p.$('.new-rule'), null);
    assert.equal(await p.$(`${row} .silence-select`), null);
    await p.click('.firing-table tr[data-rule="checkout-errors"] a.search-link');
    await waitFor('the search view', async () => p.url().includes('q=') && !p.url().includes('view=alerts'));
    assert.equal(await hitCount(p), errors);
    assert.equal(await p.inputValue('#q'), 'service:checkout level>=error');
  });

  it('lets an admin create, edit, silence and delete a rule', async () => {
    const p = await page('#view=alerts', { key: ADMIN_KEY });
    await p.click('.new-rule');
    await p.fill('.rule-form input[name="name"]', 'slow-search');
    await p.fill('.rule-form input[name="query"]', 'service:search level>=warn');
    await p.fill('.rule-form input[name="threshold"]', '1000');
    await p.fill('.rule-form input[name="group_by"]', 'host');
    await p.click('.rule-form button[type="submit"]');
    const row = '.rule-row[data-rule="slow-search"]';
    await p.waitForSelector(row);
    let rule = await sluice.api.json<{ threshold: number; group_by: string[] }>(
      '/api/v1/alerts/rules/slow-search',
    );
    assert.equal(rule.threshold, 1000);
    assert.deepEqual(rule.group_by, ['host']);

    await p.click(`${row} button:text("Edit")`);
    await p.fill('.rule-form input[name="threshold"]', '2000');
    await p.click('.rule-form button[type="submit"]');
    await waitFor('the edited rule', async () =>
      ((await p.textContent(`${row} td:nth-child(3)`)) ?? '').includes('> 2000') ? true : null,
    );
    rule = await sluice.api.json('/api/v1/alerts/rules/slow-search');
    assert.equal(rule.threshold, 2000);

    await p.selectOption(`${row} .silence-select`, '1h');
    await waitFor('the silence', async () => ((await p.textContent(`${row} .silenced`)) ?? '') !== '–');
    const silenced = await sluice.api.json<{ silenced_until: string }>('/api/v1/alerts/rules/slow-search');
    const until = Date.parse(silenced.silenced_until) - Date.now();
    assert.ok(until > 50 * 60_000 && until <= 3_600_000, silenced.silenced_until);
    // A sluice.yaml rule can be silenced, not edited.
    const fromFile = '.rule-row[data-rule="checkout-errors"]';
    assert.ok(await p.$(`${fromFile} .silence-select`));
    assert.equal(await p.$(`${fromFile} button:text("Edit")`), null);
    await browser.screenshot(p, 'alerts');

    await p.click(`${row} button:text("Unsilence")`);
    await waitFor('the silence ended', async () => ((await p.textContent(`${row} .silenced`)) ?? '') === '–');
    p.once('dialog', (dialog) => void dialog.accept());
    await p.click(`${row} button:text("Delete")`);
    await waitFor('the rule gone', async () => ((await p.$(row)) === null ? true : null));
    assert.equal((await sluice.api.get('/api/v1/alerts/rules/slow-search')).status, 404);
  });
});

describe('trace view', () => {
  it('opens from a correlation ID with every event of the request', async () => {
    const p = await page(`#q=${encodeURIComponent('seq100')}&${RANGE}`);
    await hitCount(p);
    await p.click('#results a.cid');
    await p.waitForSelector('#trace-view .swimlanes');
    const hit = sluice.events[100];
    const same = sluice.events.filter((e) => e.correlation_id === hit.correlation_id);
    const shown = await p.$$eval('#trace-view tr.log-row .c-msg', (cells) => cells.map((c) => c.textContent));
    assert.deepEqual(
      shown,
      same.map((e) => e.message),
    );
    await browser.screenshot(p, 'trace');
  });
});

describe('histogram and field sidebar', () => {
  const byCount = (events: SeedEvent[], key: (e: SeedEvent) => string) => {
    const counts = new Map<string, number>();
    for (const e of events) counts.set(key(e), (counts.get(key(e)) ?? 0) + 1);
    return counts;
  };
  const legend = (p: Page) =>
    p.$$eval('#charts .legend li', (items) =>
      Object.fromEntries(
        items.map((li) => {
          const [name, n] = (li.textContent ?? '').trim().split(/\s+(?=[\d,]+$)/);
          return [name, Number(n.replaceAll(',', ''))];
        }),
      ),
    );

  it("charts the query's own matches over the range, stacked by level or by service", async () => {
    const q = 'level>=warn';
    const p = await page(`#q=${encodeURIComponent(q)}&${RANGE}`);
    const matches = sluice.events.filter((e) => ['warn', 'error', 'fatal'].includes(e.level));
    assert.equal(await hitCount(p), matches.length);
    const svg = await p.waitForSelector('#charts .chart-counts svg[data-step]');
    const step = Number(await svg.getAttribute('data-step'));
    assert.ok(900_000 / step >= 60, `bucket of ${step} ms: fewer than 60 over 15 minutes`);
    assert.deepEqual(await legend(p), Object.fromEntries(byCount(matches, (e) => e.level)));
    // Every bar lies inside the plot, which spans the range exactly.
    const width = Number(await svg.getAttribute('width'));
    const bars = await svg.$$eval('g.bars rect', (rects) =>
      rects.map((r) => [Number(r.getAttribute('x')), Number(r.getAttribute('width'))]),
    );
    assert.ok(bars.length > 0);
    for (const [x, w] of bars)
      assert.ok(x >= 44 - 0.01 && x + w <= width - 10 + 0.01, `bar at ${x}+${w} of ${width}`);
    await browser.screenshot(p, 'search');

    await p.selectOption('#charts .stack-by', 'service');
    await waitFor('stacking by service in the URL', () => p.url().includes('stack=service'));
    await waitFor('the legend by service', async () => ('checkout' in (await legend(p)) ? true : null));
    assert.deepEqual(await legend(p), Object.fromEntries(byCount(matches, (e) => e.service)));
  });

  it('lists top values with counts, includes one, then excludes it instead of contradicting it', async () => {
    const p = await page(`#q=timeout&${RANGE}`);
    await hitCount(p);
    const matches = sluice.events.filter((e) => e.message.includes('timeout'));
    const field = '.field[data-field="service"]';
    await p.waitForSelector(`${field} .top-value`);
    const shown = await p.$$eval(`${field} .top-value`, (items) =>
      items.map((li) => [
        li.getAttribute('data-value'),
        Number(li.querySelector('.value-count')?.textContent),
      ]),
    );
    const expected = [...byCount(matches, (e) => e.service)].sort(
      (a, b) => b[1] - a[1] || a[0].localeCompare(b[0]),
    );
    assert.deepEqual(
      shown.map(([, n]) => n),
      expected.map(([, n]) => n),
    );
    assert.deepEqual(new Set(shown.map(([v]) => v)), new Set(expected.map(([v]) => v)));

    await p.click(`${field} .top-value[data-value="checkout"] .include`);
    await waitFor(
      'the included value',
      async () => (await p.inputValue('#q')) === 'timeout service:checkout',
    );
    assert.equal(
      await hitCount(p),
      count(matches, (e) => e.service === 'checkout'),
    );
    await p.waitForSelector(`${field} .top-value[data-value="checkout"] .exclude`);
    await p.click(`${field} .top-value[data-value="checkout"] .exclude`);
    await waitFor(
      'the excluded value',
      async () => (await p.inputValue('#q')) === 'timeout -service:checkout',
    );
    const rest = count(matches, (e) => e.service !== 'checkout');
    assert.ok(rest > 0);
    await waitFor('the hits without checkout', async () => ((await hitCount(p)) === rest ? true : null));
  });
});
