export { mean, std, median, mad, quantile, quantileSorted, sortedFinite, zscores, finiteRange } from './stats';
export { fft, radix2, nextPowerOfTwo, powerSpectrum, dominantPeriod, MIN_PERIOD_SEGMENT } from './fft';
export { savgolCoefficients, savgolFilter, fillGaps } from './savgol';
export { matrixProfile, slidingMeanStd } from './matrix-profile';
export type { MatrixProfile, MatrixProfileOptions } from './matrix-profile';
export { estimatePeriodWindow, autocorrelation, FALLBACK_WINDOW } from './window';
export { solveLinear, polyfit, polyfitFromSums, polyval, symmetricEigen } from './linalg';
export { WindowStats, scaleFloor } from './prefix';
export { seededRandom, seededShuffle, shuffleWith } from './random';
