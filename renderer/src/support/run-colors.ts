const PALETTE = ['#e8590c', '#7048e8', '#0c8599', '#c2255c', '#5c940d', '#1971c2', '#f08c00', '#862e9c'];

/** A stable colour per run id, distinct from the label-type colours' saturation. */
export function runColor(runId: number): string {
  return PALETTE[(runId - 1) % PALETTE.length];
}
