export { renderHighlightedPlot, renderSeriesPlot, toSeriesIndices, toWindowLocal, windowsFor } from './plot';
export type { PlotAxis, PlotOptions, PlotStyle, RenderedPlot } from './plot';
