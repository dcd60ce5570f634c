/**
 * The two small charts above the results: the query's own matches over time (from the aggregate API,
 * stacked by level or service; drag across it to zoom into that time), and the error rate per service
 * (from the metrics API, every event of the range) as lines with gaps where there was no data. Drawn as
 * inline SVG sized to the real pixel width, so text is never stretched.
 */

import {
  barExtent,
  histogramSeries,
  isolatedPoints,
  linearScale,
  linePath,
  niceMax,
  overallRate,
  rankCounts,
  seriesNames,
  stack,
  timeTicks,
} from './chartGeometry.js';
import { levelClass, serviceClass } from './colors.js';
import { fill, h, s } from './dom.js';
import { formatCompact, formatCount, formatPercent, formatTick } from './format.js';

const HEIGHT = 132;
const M = { top: 8, right: 10, bottom: 20, left: 44 };

/**
 * `onRange(fromIso, toIso)` is called when the user drags across the histogram, `onStack(field)` when
 * they pick what the bars are stacked by.
 */
export function createCharts(container, { onRange, onStack }) {
  let histogram = null; // { answer, field, from, to }
  let rates = null; // { counts, rates }
  const countsFigure = h('figure', { class: 'chart chart-counts' });
  const ratesFigure = h('figure', { class: 'chart chart-rates' });
  const legend = h('ul', { class: 'legend', 'aria-label': 'Stacked by' });
  const stackBy = h(
    'select',
    { class: 'stack-by', 'aria-label': 'Stack the bars by', onchange: (e) => onStack(e.target.value) },
    h('option', { value: 'level' }, 'by level'),
    h('option', { value: 'service' }, 'by service'),
  );
  fill(container, h('div', { class: 'charts-row' }, countsFigure, ratesFigure), legend);

  const drawHistogram = () => {
    if (histogram === null) return;
    const { answer, field, from, to } = histogram;
    stackBy.value = field;
    const { step, series } = histogramSeries(answer, field, from, to);
    const total = series.reduce((a, r) => a + r.total, 0);
    if (step === null || total === 0) {
      fill(countsFigure, caption('Matches', 'none in this range', stackBy));
      fill(legend);
      return;
    }
    const cls = (r) =>
      field === 'level' ? `fill-${levelClass(r.name)}` : r.other ? 'svc-other' : serviceClass(r.name);
    drawCounts(countsFigure, series, [from, to], step, cls, onRange, stackBy);
    fill(
      legend,
      series.map((r) =>
        h(
          'li',
          null,
          h('span', { class: `swatch ${cls(r)}`, 'aria-hidden': 'true' }),
          `${r.name} ${formatCount(r.total)}`,
        ),
      ),
    );
  };
  const drawRates = () => {
    if (rates === null) return;
    const ranked = rankCounts(rates.counts.series);
    const points = ranked[0]?.points ?? [];
    if (points.length === 0) {
      fill(ratesFigure, caption('Error rate', 'no data in this range'));
      return;
    }
    const domain = [points[0][0], points.at(-1)[0] + rates.counts.step];
    drawRateLines(ratesFigure, ranked, rates.rates, rates.counts, domain, (r) =>
      r.other ? 'svc-other' : serviceClass(r.name),
    );
  };

  let pending = false;
  new ResizeObserver(() => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      drawHistogram();
      drawRates();
    });
  }).observe(container);

  return {
    /** `answer` is the aggregate API's answer for `<q> | stats count() by bucket(), <field>` over [from, to). */
    renderHistogram(answer, field, from, to) {
      histogram = { answer, field, from, to };
      countsFigure.classList.remove('is-loading');
      drawHistogram();
    },
    /** `counts` and `rates` are the metrics API's log_count and error_rate over the same range. */
    renderRates(counts, errorRates) {
      rates = { counts, rates: errorRates };
      ratesFigure.classList.remove('is-loading');
      drawRates();
    },
    loading() {
      countsFigure.classList.add('is-loading');
      ratesFigure.classList.add('is-loading');
    },
    histogramFailed(message) {
      histogram = null;
      countsFigure.classList.remove('is-loading');
      fill(countsFigure, caption('Matches', message, stackBy));
      fill(legend);
    },
    ratesFailed(message) {
      rates = null;
      ratesFigure.classList.remove('is-loading');
      fill(ratesFigure, caption('Error rate', message));
    },
  };
}

function caption(title, detail, control) {
  return h(
    'figcaption',
    null,
    h('strong', null, title),
    detail ? ` · ${detail}` : '',
    control ? ' ' : '',
    control,
  );
}

function frame(figure) {
  const width = Math.max(200, figure.clientWidth);
  const x0 = M.left;
  const x1 = width - M.right;
  const y0 = HEIGHT - M.bottom;
  const y1 = M.top;
  return { width, x0, x1, y0, y1 };
}

function axes(f, domain, yMax, yLabel) {
  const x = linearScale(domain, [f.x0, f.x1]);
  const y = linearScale([0, yMax], [f.y0, f.y1]);
  const nodes = [];
  for (const v of [0, yMax / 2, yMax]) {
    nodes.push(s('line', { class: 'grid', x1: f.x0, x2: f.x1, y1: y(v), y2: y(v) }));
    nodes.push(s('text', { class: 'tick', x: f.x0 - 6, y: y(v) + 4, 'text-anchor': 'end' }, yLabel(v)));
  }
  const maxTicks = Math.max(2, Math.floor((f.x1 - f.x0) / 70));
  for (const t of timeTicks(domain[0], domain[1], maxTicks)) {
    // Labels near an edge are anchored inwards so they are not cut off.
    const at = x(t);
    const anchor = at > f.x1 - 20 ? 'end' : at < f.x0 + 20 ? 'start' : 'middle';
    nodes.push(
      s(
        'text',
        { class: 'tick', x: at, y: f.y0 + 15, 'text-anchor': anchor },
        formatTick(t, domain[1] - domain[0]),
      ),
    );
  }
  return { x, y, nodes };
}

function drawCounts(figure, ranked, domain, step, cls, onRange, control) {
  const f = frame(figure);
  const { layers, max } = stack(ranked);
  const { x, y, nodes } = axes(f, domain, niceMax(max), formatCompact);
  const points = ranked[0].points;
  const bars = [];
  const hovers = [];
  points.forEach(([t], i) => {
    const [left, right] = barExtent(t, step, domain[0], domain[1]);
    // A pixel of gap between bars when they are wide enough to spare it.
    const width = Math.max(0.5, x(right) - x(left) - (x(t + step) - x(t) > 3 ? 1 : 0));
    const barWidth = width;
    ranked.forEach((r, k) => {
      const [a, b] = layers[k][i];
      if (b > a)
        bars.push(
          s('rect', {
            class: cls(r),
            x: x(left),
            y: y(b),
            width,
            height: Math.max(0.5, y(a) - y(b)),
            'data-t': t,
          }),
        );
    });
    const lines = ranked
      .filter((r) => r.points[i][1] !== null)
      .map((r) => `${r.name}: ${formatCount(r.points[i][1])}`);
    hovers.push(
      s(
        'rect',
        { class: 'hover', x: x(t), y: f.y1, width: barWidth + 1, height: f.y0 - f.y1 },
        s('title', null, [formatTick(t, 0), ...lines].join('\n')),
      ),
    );
  });
  const total = ranked.reduce((a, r) => a + r.total, 0);
  const selection = s('rect', {
    class: 'selection',
    x: 0,
    y: f.y1,
    width: 0,
    height: f.y0 - f.y1,
    visibility: 'hidden',
  });
  const svg = s(
    'svg',
    {
      width: f.width,
      height: HEIGHT,
      viewBox: `0 0 ${f.width} ${HEIGHT}`,
      role: 'img',
      'aria-label': `Matches per ${step / 1000} s, ${formatCount(total)} in total`,
      'data-step': step,
    },
    nodes,
    s('g', { class: 'bars' }, bars),
    s('g', null, hovers),
    selection,
  );
  brush(svg, selection, f, domain, onRange);
  fill(figure, caption('Matches', `${formatCount(total)} · drag to zoom`, control), svg);
}

function drawRateLines(figure, ranked, rates, counts, domain, cls) {
  const f = frame(figure);
  const names = seriesNames(rates.series);
  const byName = new Map(rates.series.map((r, i) => [names[i], r]));
  let max = 0;
  for (const r of rates.series) for (const [, v] of r.points) if (v !== null && v > max) max = v;
  const { x, y, nodes } = axes(f, domain, Math.min(1, niceMax(max)), formatPercent);
  const lines = [];
  for (const r of ranked) {
    const series = byName.get(r.name);
    if (series === undefined) continue; // "other" has no single rate
    const c = cls(r);
    lines.push(s('path', { class: `line ${c}`, d: linePath(series.points, x, y) }, s('title', null, r.name)));
    for (const [t, v] of isolatedPoints(series.points))
      lines.push(s('circle', { class: `point ${c}`, cx: x(t), cy: y(v), r: 2.5 }));
  }
  const overall = overallRate(rates.series, counts.series);
  const svg = s(
    'svg',
    {
      width: f.width,
      height: HEIGHT,
      viewBox: `0 0 ${f.width} ${HEIGHT}`,
      role: 'img',
      'aria-label': `Error rate per service, ${formatPercent(overall)} overall`,
    },
    nodes,
    lines,
  );
  fill(figure, caption('Error rate', `${formatPercent(overall)} overall`), svg);
}

/** Drag across the plot to pick a time range; a plain click does nothing. */
function brush(svg, selection, f, domain, onRange) {
  const toTime = linearScale([f.x0, f.x1], domain);
  const clamp = (v) => Math.min(f.x1, Math.max(f.x0, v));
  let start = null;
  const xOf = (e) => clamp(e.clientX - svg.getBoundingClientRect().left);
  svg.addEventListener('pointerdown', (e) => {
    if (e.button !== 0) return;
    start = xOf(e);
    svg.setPointerCapture(e.pointerId);
  });
  svg.addEventListener('pointermove', (e) => {
    if (start === null) return;
    const now = xOf(e);
    selection.setAttribute('x', String(Math.min(start, now)));
    selection.setAttribute('width', String(Math.abs(now - start)));
    selection.setAttribute('visibility', 'visible');
  });
  svg.addEventListener('pointerup', (e) => {
    if (start === null) return;
    const end = xOf(e);
    const [a, b] = [Math.min(start, end), Math.max(start, end)];
    start = null;
    selection.setAttribute('visibility', 'hidden');
    if (b - a < 4) return;
    onRange(new Date(Math.floor(toTime(a))).toISOString(), new Date(Math.ceil(toTime(b))).toISOString());
  });
}
