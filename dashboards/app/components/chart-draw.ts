import type uPlot from 'uplot';
import type { AlarmMarker, ThresholdLine } from '../lib/chart-marks.ts';

const SEVERITY_COLOUR = { minor: '#ffd54f', general: '#ffb74d', major: '#e57373' } as const;
const CLEARED_COLOUR = '#81c784';
const THRESHOLD_COLOUR = '#e57373';

/** What a chart drew besides its series, for people (the caption) and for tests (data attributes). */
export interface DrawnMarks {
  markers: number;
  thresholds: number;
}

/**
 * A uPlot draw hook: the site's threshold lines (dashed, across the plot) and the alarms raised
 * (solid, in the severity's colour) and cleared (green, dashed) as vertical lines with a triangle at
 * the top. Reads its marks through `get` so the live chart draws the newest without a rebuild.
 */
export function drawMarks(
  get: () => { lines: readonly ThresholdLine[]; markers: readonly AlarmMarker[] },
  onDrawn: (drawn: DrawnMarks) => void,
): (u: uPlot) => void {
  return (u) => {
    const { lines, markers } = get();
    const { ctx, bbox } = u;
    const ratio = devicePixelRatio || 1;
    const drawn: DrawnMarks = { markers: 0, thresholds: 0 };
    ctx.save();
    ctx.beginPath();
    ctx.rect(bbox.left, bbox.top, bbox.width, bbox.height);
    ctx.clip();
    ctx.lineWidth = ratio;
    for (const line of lines) {
      const y = u.valToPos(line.value, 'y', true);
      if (!Number.isFinite(y) || y < bbox.top || y > bbox.top + bbox.height) continue;
      ctx.strokeStyle = THRESHOLD_COLOUR;
      ctx.setLineDash([6 * ratio, 4 * ratio]);
      ctx.beginPath();
      ctx.moveTo(bbox.left, y);
      ctx.lineTo(bbox.left + bbox.width, y);
      ctx.stroke();
      drawn.thresholds += 1;
    }
    for (const marker of markers) {
      const x = u.valToPos(marker.at / 1000, 'x', true);
      if (!Number.isFinite(x) || x < bbox.left || x > bbox.left + bbox.width) continue;
      const colour = marker.change === 'raised' ? SEVERITY_COLOUR[marker.severity] : CLEARED_COLOUR;
      ctx.strokeStyle = colour;
      ctx.fillStyle = colour;
      ctx.setLineDash(marker.change === 'raised' ? [] : [3 * ratio, 3 * ratio]);
      ctx.beginPath();
      ctx.moveTo(x, bbox.top);
      ctx.lineTo(x, bbox.top + bbox.height);
      ctx.stroke();
      const size = 5 * ratio;
      const tip = marker.change === 'raised' ? bbox.top + size : bbox.top;
      ctx.beginPath();
      ctx.moveTo(x - size, marker.change === 'raised' ? bbox.top : bbox.top + size);
      ctx.lineTo(x + size, marker.change === 'raised' ? bbox.top : bbox.top + size);
      ctx.lineTo(x, tip === bbox.top ? bbox.top : tip);
      ctx.closePath();
      ctx.fill();
      drawn.markers += 1;
    }
    ctx.restore();
    onDrawn(drawn);
  };
}
