export { renderSeriesPlot, windowsFor } from './plot';
export type { PlotStyle, PlotAxis, RenderedPlot } from './plot';
