/** Small inline SVG charts: a temperature line (or min/max band) with its allowed range, and a bar chart. */
import { useId } from 'react';
import { useI18n } from '../i18n/i18n';

/** One point of a temperature series. */
export interface TemperaturePoint {
  time: string;
  min: number;
  max: number;
}

const W = 320;
const H = 140;
const PAD = { left: 34, right: 8, top: 10, bottom: 22 };

/** Temperatures over time (a line, or a band where min ≠ max), the allowed range shaded, breaches marked. */
export function TemperatureChart({
  points,
  range,
  title,
}: {
  points: TemperaturePoint[];
  range?: { min?: number; max?: number };
  title: string;
}) {
  const { t, formatDate, formatNumber } = useI18n();
  const titleId = useId();
  if (points.length === 0) return null;
  const times = points.map((p) => Date.parse(p.time));
  const t0 = Math.min(...times);
  const t1 = Math.max(...times, t0 + 1);
  const values = points.flatMap((p) => [p.min, p.max]);
  if (range?.min !== undefined) values.push(range.min);
  if (range?.max !== undefined) values.push(range.max);
  const v0 = Math.floor(Math.min(...values) - 1);
  const v1 = Math.ceil(Math.max(...values) + 1);
  const x = (time: number) => PAD.left + ((time - t0) / (t1 - t0)) * (W - PAD.left - PAD.right);
  const y = (value: number) => PAD.top + ((v1 - value) / (v1 - v0)) * (H - PAD.top - PAD.bottom);
  const breach = (value: number) =>
    (range?.max !== undefined && value > range.max) || (range?.min !== undefined && value < range.min);
  const upper = points.map(
    (p, i) => `${i === 0 ? 'M' : 'L'}${x(times[i] ?? 0).toFixed(1)},${y(p.max).toFixed(1)}`,
  );
  const lower = [...points]
    .reverse()
    .map((p, i) => `L${x(times[points.length - 1 - i] ?? 0).toFixed(1)},${y(p.min).toFixed(1)}`);
  const band = points.some((p) => p.max !== p.min);
  const breaches = points.filter((p) => breach(p.max) || breach(p.min)).length;
  const ticks = [v0, (v0 + v1) / 2, v1];
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={titleId}>
        <title id={titleId}>
          {title}:{' '}
          {t(
            '{n} 个读数，最低 {min}°C，最高 {max}°C，超出范围 {b} 个',
            '{n} readings, lowest {min} °C, highest {max} °C, {b} out of range',
            {
              n: points.length,
              min: formatNumber(Math.min(...points.map((p) => p.min)), 1),
              max: formatNumber(Math.max(...points.map((p) => p.max)), 1),
              b: breaches,
            },
          )}
        </title>
        {range && (range.min !== undefined || range.max !== undefined) ? (
          <rect
            x={PAD.left}
            width={W - PAD.left - PAD.right}
            y={y(range.max ?? v1)}
            height={Math.max(0, y(range.min ?? v0) - y(range.max ?? v1))}
            className="chart-range"
          />
        ) : null}
        {ticks.map((tick) => (
          <g key={tick}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(tick)} y2={y(tick)} className="chart-grid" />
            <text x={PAD.left - 4} y={y(tick) + 3} className="chart-tick" textAnchor="end">
              {formatNumber(tick, 1)}
            </text>
          </g>
        ))}
        {band ? (
          <path d={`${upper.join('')}${lower.join('')}Z`} className="chart-band" />
        ) : (
          <path d={upper.join('')} className="chart-line" />
        )}
        {points.map((p, i) =>
          breach(p.max) || breach(p.min) ? (
            <circle
              key={i}
              cx={x(times[i] ?? 0)}
              cy={y(breach(p.max) ? p.max : p.min)}
              r="3"
              className="chart-breach"
            />
          ) : null,
        )}
        <text x={PAD.left} y={H - 6} className="chart-tick">
          {formatDate(new Date(t0).toISOString(), true)}
        </text>
        <text x={W - PAD.right} y={H - 6} className="chart-tick" textAnchor="end">
          {formatDate(new Date(t1).toISOString(), true)}
        </text>
      </svg>
      <figcaption>
        {title} · °C
        {range ? (
          <span className="muted">
            {' '}
            · {t('允许范围', 'allowed range')} {range.min ?? '−∞'} … {range.max ?? '+∞'} °C
          </span>
        ) : null}
      </figcaption>
    </figure>
  );
}

/** One bar group. */
export interface BarDatum {
  label: string;
  values: number[];
}

/** Bars per period, stacked by series, with a legend and accessible text. */
export function BarChart({ data, series, title }: { data: BarDatum[]; series: string[]; title: string }) {
  const titleId = useId();
  const width = Math.max(280, data.length * 34 + 40);
  const height = 160;
  const max = Math.max(1, ...data.map((d) => d.values.reduce((a, b) => a + b, 0)));
  const barWidth = Math.min(26, (width - 40) / Math.max(1, data.length) - 6);
  const summary = data.map((d) => `${d.label}: ${d.values.join('/')}`).join('; ');
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={titleId}>
        <title id={titleId}>
          {title}: {summary || '—'}
        </title>
        <line x1="30" x2={width - 4} y1={height - 24} y2={height - 24} className="chart-grid" />
        <text x="26" y="14" className="chart-tick" textAnchor="end">
          {max}
        </text>
        <text x="26" y={height - 24} className="chart-tick" textAnchor="end">
          0
        </text>
        {data.map((d, i) => {
          let base = height - 24;
          const x = 34 + i * ((width - 40) / Math.max(1, data.length));
          return (
            <g key={d.label}>
              {d.values.map((value, s) => {
                const h = (value / max) * (height - 44);
                base -= h;
                return (
                  <rect
                    key={s}
                    x={x}
                    y={base}
                    width={barWidth}
                    height={h}
                    className={`chart-bar chart-bar-${s % 8}`}
                  />
                );
              })}
              <text x={x + barWidth / 2} y={height - 10} className="chart-tick" textAnchor="middle">
                {d.label}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption>
        {title}
        {series.length > 1 ? (
          <span className="legend">
            {series.map((name, s) => (
              <span key={name}>
                <span className={`swatch chart-bar-${s % 8}`} aria-hidden="true" /> {name}
              </span>
            ))}
          </span>
        ) : null}
      </figcaption>
    </figure>
  );
}
