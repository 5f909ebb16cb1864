interface Bar {
  label: string;
  value: number;
}

const BAR = 18;
const GAP = 6;

/** Horizontal bars drawn as SVG (one per label), the count after each; scales to its box. */
export function HorizontalBars({ bars, title }: { bars: readonly Bar[]; title: string }) {
  const max = Math.max(1, ...bars.map((bar) => bar.value));
  const height = bars.length * (BAR + GAP) + GAP;
  return (
    <figure class="report-chart">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 400 ${height}`} role="img" aria-label={title} preserveAspectRatio="xMinYMin meet">
        {bars.map((bar, index) => {
          const y = GAP + index * (BAR + GAP);
          const width = (bar.value / max) * 220;
          return (
            <g key={bar.label}>
              <text x="0" y={y + BAR - 5} class="chart-label">
                {bar.label.length > 20 ? `${bar.label.slice(0, 19)}…` : bar.label}
              </text>
              <rect x="140" y={y} width={Math.max(width, 1)} height={BAR} class="chart-bar" />
              <text x={144 + width} y={y + BAR - 5} class="chart-value">
                {bar.value}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}

/** Vertical bars per month drawn as SVG, the count above each and the month below. */
export function MonthColumns({ bars, title }: { bars: readonly Bar[]; title: string }) {
  const max = Math.max(1, ...bars.map((bar) => bar.value));
  const slot = 400 / Math.max(1, bars.length);
  const width = Math.min(28, slot * 0.6);
  return (
    <figure class="report-chart">
      <figcaption>{title}</figcaption>
      <svg viewBox="0 0 400 170" role="img" aria-label={title}>
        <line x1="0" y1="140" x2="400" y2="140" class="chart-axis" />
        {bars.map((bar, index) => {
          const height = (bar.value / max) * 115;
          const x = index * slot + (slot - width) / 2;
          return (
            <g key={bar.label}>
              <rect x={x} y={140 - height} width={width} height={Math.max(height, 0.5)} class="chart-bar" />
              <text x={x + width / 2} y={134 - height} class="chart-value" text-anchor="middle">
                {bar.value}
              </text>
              <text x={x + width / 2} y="156" class="chart-label" text-anchor="middle">
                {bar.label}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
