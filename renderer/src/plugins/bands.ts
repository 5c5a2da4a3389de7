import type uPlot from 'uplot';

export interface Band {
  /** the label id, when the band can be edited by dragging */
  id?: number;
  start: number;
  end: number;
  color: string;
  /** emphasized bands get an outline */
  selected?: boolean;
}

/**
 * uPlot plugin: draws half-open index intervals as shaded vertical bands under the series.
 * `getBands` is read at every redraw so the chart never copies the label list.
 */
export function bandsPlugin(getBands: () => Band[]): uPlot.Plugin {
  return {
    hooks: {
      drawClear: [
        (u: uPlot) => {
          const { ctx } = u;
          const { top, height, left, width } = u.bbox;
          ctx.save();
          ctx.beginPath();
          ctx.rect(left, top, width, height);
          ctx.clip();
          for (const b of getBands()) {
            const x0 = u.valToPos(b.start, 'x', true);
            const x1 = Math.max(u.valToPos(b.end, 'x', true), x0 + 2);
            if (x1 < left || x0 > left + width) continue;
            ctx.fillStyle = b.color;
            ctx.fillRect(x0, top, x1 - x0, height);
            if (b.selected) {
              ctx.strokeStyle = '#111';
              ctx.lineWidth = 2;
              ctx.strokeRect(x0, top + 1, x1 - x0, height - 2);
            }
          }
          ctx.restore();
        },
      ],
    },
  };
}
