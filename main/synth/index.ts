export { BASE_KINDS, type BaseKind } from './baseline';
export { INJECTABLE_TYPES, type InjectableType, type InjectionParams } from './inject';
export {
  generateDataset,
  generateSeries,
  pointLabels,
  MIN_SYNTH_LENGTH,
  type GenerateDatasetOptions,
  type GenerateSeriesOptions,
  type SynthAnomaly,
  type SynthSeries,
} from './generate';
export {
  SERIES_CSV_HEADER,
  SERIES_FOLDER_FORMAT,
  seriesToCsv,
  type ManifestAnomaly,
  type ManifestSeries,
  type SeriesFolderManifest,
} from './format';
export { createRng, deriveSeed, type Rng } from './prng';
export { writeSynthDataset, type WriteSynthOptions } from './write';
