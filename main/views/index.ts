export { reduceRange, RAW_POINTS_PER_PIXEL } from './m4';
export type { ReducedRange } from './m4';
export { MinMaxPyramid, pyramidFor } from './pyramid';
export { indicesAt, timesAt } from './time-axis';
