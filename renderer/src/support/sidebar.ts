/** The series sidebar's pure logic: datasets as groups of channels, counts with plurals, a channel filter. */
import type { DatasetInfo, SeriesInfo } from '../../../common/domain';

/** "1 label", "2 labels", "22,695 points" */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}

/** A channel as the sidebar names it: the file's column name; bare numbers (TSB-AD's "0" … "24") read "column 0". */
export function channelName(name: string): string {
  return /^\d+$/.test(name) ? `column ${name}` : name;
}

/** the file name of a dataset's source, or its own name */
export function datasetTitle(d: DatasetInfo): string {
  if (!d.sourcePath) return d.name;
  return d.sourcePath.split(/[\\/]/).pop() || d.name;
}

export interface DatasetGroup {
  dataset: DatasetInfo;
  channels: SeriesInfo[];
  /** the channels that pass the filter */
  shown: SeriesInfo[];
  labelCount: number;
}

/** a dataset with more channels than this gets a filter box */
export const FILTER_FROM = 12;

export function groupByDataset(
  datasets: readonly DatasetInfo[],
  series: readonly SeriesInfo[],
  filters: ReadonlyMap<number, string> = new Map(),
): DatasetGroup[] {
  return datasets.map((dataset) => {
    const channels = series.filter((s) => s.datasetId === dataset.id);
    const needle = (filters.get(dataset.id) ?? '').trim().toLowerCase();
    const shown = needle
      ? channels.filter((s) => s.name.toLowerCase().includes(needle) || channelName(s.name).toLowerCase().includes(needle))
      : channels;
    return { dataset, channels, shown, labelCount: channels.reduce((n, s) => n + s.labelCount, 0) };
  });
}
