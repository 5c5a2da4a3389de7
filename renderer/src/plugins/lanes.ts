import type uPlot from 'uplot';

export interface LaneInterval {
  start: number;
  end: number;
  /** 0..1, drawn as opacity */
  strength: number;
  status: 'unreviewed' | 'accepted' | 'rejected' | 'edited';
  selected?: boolean;
}

export interface Lane {
  color: string;
  intervals: LaneInterval[];
}

const LANE_HEIGHT = 7;
const LANE_GAP = 2;

/**
 * uPlot plugin: model predictions as thin bars in lanes along the top of the plot (one lane per
 * run), visibly different from the human label bands drawn under the series.
 */
export function lanesPlugin(getLanes: () => Lane[]): uPlot.Plugin {
  return {
    hooks: {
      draw: [
        (u: uPlot) => {
          const lanes = getLanes();
          if (lanes.length === 0) return;
          const { ctx } = u;
          const { top, left, width } = u.bbox;
          const dpr = devicePixelRatio || 1;
          const h = LANE_HEIGHT * dpr;
          ctx.save();
          ctx.beginPath();
          ctx.rect(left, top, width, (h + LANE_GAP * dpr) * lanes.length);
          ctx.clip();
          lanes.forEach((lane, k) => {
            const y = top + k * (h + LANE_GAP * dpr);
            for (const iv of lane.intervals) {
              const x0 = u.valToPos(iv.start, 'x', true);
              const x1 = Math.max(u.valToPos(iv.end, 'x', true), x0 + 2 * dpr);
              if (x1 < left || x0 > left + width) continue;
              ctx.globalAlpha = iv.status === 'rejected' ? 0.2 : 0.45 + 0.55 * Math.max(0, Math.min(1, iv.strength));
              ctx.fillStyle = lane.color;
              ctx.fillRect(x0, y, x1 - x0, h);
              if (iv.status === 'accepted') {
                ctx.globalAlpha = 1;
                ctx.strokeStyle = '#2f9e44';
                ctx.lineWidth = 1.5 * dpr;
                ctx.strokeRect(x0, y, x1 - x0, h);
              }
              if (iv.selected) {
                ctx.globalAlpha = 1;
                ctx.strokeStyle = '#111';
                ctx.lineWidth = 2 * dpr;
                ctx.strokeRect(x0 - dpr, y - dpr, x1 - x0 + 2 * dpr, h + 2 * dpr);
                ctx.setLineDash([4 * dpr, 3 * dpr]);
                ctx.beginPath();
                ctx.moveTo(x0, y + h);
                ctx.lineTo(x0, u.bbox.top + u.bbox.height);
                ctx.moveTo(x1, y + h);
                ctx.lineTo(x1, u.bbox.top + u.bbox.height);
                ctx.stroke();
                ctx.setLineDash([]);
              }
            }
          });
          ctx.restore();
        },
      ],
    },
  };
}
