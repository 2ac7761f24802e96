import { formatCount } from '../format';

export type BarTone = 'accent' | 'success' | 'danger' | 'warning' | 'neutral' | 'muted';

export interface BarRow {
  key: string;
  label: string;
  /** A second line under the label, such as the OWASP risk. */
  note?: string;
  value: number;
  /** Drawn as the bar's track; the value's share of it is filled. Default: the chart's largest value. */
  total?: number;
  tone: BarTone;
}

function percent(value: number, total: number): number {
  return total === 0 ? 0 : Math.round((value / total) * 100);
}

/** A bar for a table cell: the filled share of `total`, with its numbers in the title for a pointer. */
export function ProgressBar({
  value,
  total,
  tone = 'accent',
  label,
}: {
  value: number;
  total: number;
  tone?: BarTone;
  label: string;
}) {
  const share = total === 0 ? 0 : value / total;
  const text = `${label}: ${formatCount(value)} of ${formatCount(total)} (${percent(value, total)}%)`;
  return (
    <svg className="bar" viewBox="0 0 100 8" preserveAspectRatio="none" role="img" aria-label={text}>
      <title>{text}</title>
      <rect className="bar-track" x="0" y="0" width="100" height="8" rx="2" />
      {share > 0 && (
        <rect
          className={`bar-fill tone-${tone}`}
          x="0"
          y="0"
          width={Math.max(share * 100, 1.5)}
          height="8"
          rx="2"
        />
      )}
    </svg>
  );
}

/**
 * A horizontal bar chart drawn in SVG, one row per category: the label, the bar, the number. Each bar
 * is an image with its label, value and share as its accessible name; the figure has a caption.
 */
export function BarChart({
  title,
  description,
  rows,
  unit,
  empty,
}: {
  title: string;
  description?: string;
  rows: BarRow[];
  /** The noun after each number: "items". */
  unit: string;
  empty: string;
}) {
  const largest = Math.max(1, ...rows.map((row) => row.total ?? row.value));
  return (
    <figure className="chart">
      <figcaption className="chart-caption">
        <span className="chart-title">{title}</span>
        {description && <span className="chart-description">{description}</span>}
      </figcaption>
      {rows.length === 0 ? (
        <p className="chart-empty">{empty}</p>
      ) : (
        <ul className="chart-rows">
          {rows.map((row) => {
            const total = row.total ?? largest;
            const text =
              row.total === undefined
                ? `${row.label}: ${formatCount(row.value)} ${unit}`
                : `${row.label}: ${formatCount(row.value)} of ${formatCount(row.total)} ${unit} (${percent(row.value, row.total)}%)`;
            return (
              <li key={row.key} className="chart-row">
                <span className="chart-label">
                  <span>{row.label}</span>
                  {row.note && <span className="chart-note">{row.note}</span>}
                </span>
                <svg
                  className="chart-bar"
                  viewBox="0 0 100 12"
                  preserveAspectRatio="none"
                  role="img"
                  aria-label={text}
                >
                  <title>{text}</title>
                  {row.total !== undefined && (
                    <rect
                      className="bar-track"
                      x="0"
                      y="0"
                      width={(row.total / largest) * 100}
                      height="12"
                      rx="2"
                    />
                  )}
                  {row.value > 0 && (
                    <rect
                      className={`bar-fill tone-${row.tone}`}
                      x="0"
                      y="0"
                      width={Math.max((row.value / largest) * 100, 1)}
                      height="12"
                      rx="2"
                    />
                  )}
                </svg>
                <span className="chart-value" aria-hidden="true">
                  {row.total === undefined
                    ? formatCount(row.value)
                    : `${formatCount(row.value)} / ${formatCount(total)}`}
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </figure>
  );
}
