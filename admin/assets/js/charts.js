// Bar charts on uPlot (vendored as /vendor/uPlot.iife.min.js, global `uPlot`): total bars with
// the failed part drawn over them, so each bar reads as success + failed. Colours come from
// the theme's CSS variables; charts resize with their box and redraw when the theme changes.
import { h } from './dom.js';
import { t, locale } from './i18n.js';

const css = (name) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();

// points: [{x: seconds, total, failed}], fmt: 'hour' | 'day'
export function requestChart(box, points, fmt) {
  if (typeof window.uPlot !== 'function') {
    box.append(h('p', { class: 'muted small' }, t('dash.no_chart_lib')));
    return;
  }
  const U = window.uPlot;
  const xs = points.map((p) => p.x);
  const totals = points.map((p) => p.total);
  const failed = points.map((p) => p.failed);
  const dateFmt = new Intl.DateTimeFormat(locale(), fmt === 'hour' ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } : { month: 'short', day: 'numeric' });
  const label = (s) => dateFmt.format(new Date(s * 1000));
  let plot = null;

  const build = () => {
    if (plot) plot.destroy();
    plot = null;
    if (!box.isConnected) return window.removeEventListener('g2a:theme', build);
    const axis = { stroke: css('--muted'), grid: { stroke: css('--border'), width: 1 }, ticks: { stroke: css('--border'), width: 1 }, font: '11px system-ui, sans-serif' };
    const bars = U.paths.bars({ size: [0.7, 40], gap: 2 });
    plot = new U(
      {
        width: Math.max(200, box.clientWidth),
        height: 220,
        padding: [8, 20, 0, 0],
        cursor: { points: { show: false }, drag: { x: false, y: false } },
        legend: { show: true },
        scales: { x: { time: false, range: (u, min, max) => [min - (fmt === 'hour' ? 1800 : 43200), max + (fmt === 'hour' ? 1800 : 43200)] }, y: { range: (u, min, max) => [0, Math.max(4, max * 1.1)] } },
        axes: [
          { ...axis, values: (u, splits) => splits.map(label), space: fmt === 'hour' ? 60 : 50 },
          { ...axis, size: 40, values: (u, splits) => splits.map((v) => (Number.isInteger(v) ? v.toLocaleString(locale()) : '')) },
        ],
        series: [
          { label: t('dash.time'), value: (u, v) => (v === null ? '—' : label(v)) },
          { label: t('dash.total'), fill: css('--chart-ok'), stroke: css('--chart-ok'), width: 0, paths: bars, points: { show: false } },
          { label: t('dash.failed'), fill: css('--chart-err'), stroke: css('--chart-err'), width: 0, paths: bars, points: { show: false } },
        ],
      },
      [xs, totals, failed],
      box,
    );
  };
  build();
  new ResizeObserver(() => plot && box.clientWidth && plot.setSize({ width: box.clientWidth, height: 220 })).observe(box);
  window.addEventListener('g2a:theme', build);
}
