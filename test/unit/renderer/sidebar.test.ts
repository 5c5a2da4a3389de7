import { describe, expect, it } from 'vitest';
import type { DatasetInfo, SeriesInfo } from '../../../common/domain';
import { channelName, datasetTitle, groupByDataset, plural } from '../../../renderer/src/support/sidebar';

const dataset = (id: number, name: string, sourcePath: string | null): DatasetInfo => ({
  id,
  name,
  sourcePath,
  sourceHash: null,
  sourceSize: null,
  importedAt: '2026-01-01T00:00:00Z',
  rowCount: 100,
  hasTime: false,
  timeStart: null,
  timeEnd: null,
});
const series = (id: number, datasetId: number, name: string, labelCount = 0): SeriesInfo => ({
  id,
  datasetId,
  name,
  length: 100,
  missing: 0,
  min: 0,
  max: 1,
  labelCount,
});

describe('series sidebar', () => {
  it('writes counts with the right plural', () => {
    expect(plural(1, 'label')).toBe('1 label');
    expect(plural(0, 'label')).toBe('0 labels');
    expect(plural(22695, 'point')).toBe((22695).toLocaleString() + ' points');
  });

  it('names bare numeric channels as columns and datasets by their file', () => {
    expect(channelName('7')).toBe('column 7');
    expect(channelName('value')).toBe('value');
    expect(datasetTitle(dataset(1, 'x', '/data/nab/machine_temperature_system_failure.csv'))).toBe(
      'machine_temperature_system_failure.csv',
    );
    expect(datasetTitle(dataset(1, 'synthetic', null))).toBe('synthetic');
  });

  it('groups channels under their dataset, sums labels, and filters one dataset only', () => {
    const ds = [dataset(1, 'nab', null), dataset(2, 'smap', null)];
    const ss = [series(1, 1, 'value', 4), ...Array.from({ length: 25 }, (_, c) => series(10 + c, 2, String(c), 1))];
    const groups = groupByDataset(ds, ss, new Map([[2, 'column 1']]));
    expect(groups.map((g) => [g.channels.length, g.labelCount])).toEqual([
      [1, 4],
      [25, 25],
    ]);
    expect(groups[0].shown.map((s) => s.name)).toEqual(['value']);
    expect(groups[1].shown.map((s) => s.name)).toEqual(['1', '10', '11', '12', '13', '14', '15', '16', '17', '18', '19']);
  });
});
