import { describe, expect, it } from 'vitest';
import { parseAnomLlm, parseAnomSeer, parseVlm4ts } from '../../../main/reasoning/parsers';

describe('AnomSeer tags (half-open)', () => {
  it('reads think, answer and class', () => {
    const r = parseAnomSeer(
      '<think>The level jumps near 120.</think>\n<answer>[[120, 180], [300, 305]]</answer>\n<class>trend</class>',
      1000,
    );
    expect(r.intervals).toEqual([
      { start: 120, end: 180 },
      { start: 300, end: 305 },
    ]);
    expect(r.type).toBe('trend-change');
    expect(r.reasoning).toBe('The level jumps near 120.');
  });

  it('accepts an empty answer, tolerates a missing class, clamps out-of-range intervals and says so', () => {
    expect(parseAnomSeer('<answer>[]</answer><class>normal</class>', 100)).toMatchObject({ intervals: [], type: null });
    const r = parseAnomSeer('<answer>[[90, 150], [200, 300],]</answer>', 100);
    expect(r.intervals).toEqual([{ start: 90, end: 100 }]);
    expect(r.notes.join(' ')).toMatch(/clamped \[90, 150\).*dropped \[200, 300\)/);
  });

  it('reads "no anomaly" in the answer as none, and tuples as pairs', () => {
    expect(parseAnomSeer('<think>All regular.</think><answer>No anomaly</answer>', 100).intervals).toEqual([]);
    expect(parseAnomSeer('<answer>[(3, 9)]</answer>', 100).intervals).toEqual([{ start: 3, end: 9 }]);
  });

  it('rejects answers without the tag or with malformed pairs, with the reason', () => {
    expect(() => parseAnomSeer('I think there is an anomaly at 40.', 100)).toThrow(/no <answer>/);
    expect(() => parseAnomSeer('<answer>[[1, 2, 3]]</answer>', 100)).toThrow(/neither a \[start, end\] pair nor/);
    expect(() => parseAnomSeer('<answer>[{"from": 1, "to": 2}]</answer>', 100)).toThrow(/"start", "end"/);
    expect(() => parseAnomSeer('<answer>somewhere in the middle</answer>', 100)).toThrow(/not a list/);
  });
});

describe('AnomSeer answers as real models write them', () => {
  it('reads [{"start", "end"}] objects like [[s, e]] pairs (AnomSeer\'s reward code accepts both)', () => {
    const r = parseAnomSeer(
      '<answer>[{"start": 12, "end": 30}, {"start": 50, "end": 51}]</answer><class>global point</class>',
      100,
    );
    expect(r.intervals).toEqual([
      { start: 12, end: 30 },
      { start: 50, end: 51 },
    ]);
    expect(r.type).toBe('global-point');
  });

  it("normalizes short class names the way AnomSeer's reward does", () => {
    const cls = (c: string) => parseAnomSeer(`<answer>[[1, 2]]</answer><class>${c}</class>`, 10).type;
    expect(cls('contextual')).toBe('contextual-point');
    expect(cls('Global')).toBe('global-point');
    expect(cls('seasonality')).toBe('frequency-change');
    expect(cls('level-shift')).toBe('level-shift');
    expect(cls('trend change')).toBe('trend-change');
    expect(cls('wobbly')).toBe('unknown');
  });
});

describe('AnomLLM JSON list (half-open)', () => {
  it('finds the list inside prose and code fences, forgiving trailing commas and single quotes', () => {
    const text =
      'Sure! Here are the anomalies:\n```json\n[{\'start\': 10, \'end\': 20}, {"start": 50, "end": 55},]\n```\nLet me know.';
    expect(parseAnomLlm(text, 100).intervals).toEqual([
      { start: 10, end: 20 },
      { start: 50, end: 55 },
    ]);
  });

  it('reads "no anomaly" and [] as no intervals, and refuses items without bounds', () => {
    expect(parseAnomLlm('No anomalies detected.', 100).intervals).toEqual([]);
    expect(parseAnomLlm('[]', 100).intervals).toEqual([]);
    expect(() => parseAnomLlm('[{"begin": 3}]', 100)).toThrow(/lacks start or end/);
    expect(() => parseAnomLlm('[{"start": 1, "end": 2}', 100)).toThrow(/unterminated/);
  });
});

describe('VLM4TS JSON object (inclusive → half-open)', () => {
  it('converts inclusive interval_index to half-open and keeps confidence and description', () => {
    const r = parseVlm4ts(
      '{"anomalies": [{"interval_index": [100, 119], "confidence": 3, "abnormal_description": "sudden drop"}]}',
      500,
    );
    expect(r.intervals).toEqual([{ start: 100, end: 120, confidence: 3, description: 'sudden drop' }]);
    expect(r.reasoning).toBe('sudden drop');
  });

  it('reads prose saying there is no anomaly as none, and refuses prose without JSON', () => {
    expect(parseVlm4ts('No anomalies in this plot.', 10).intervals).toEqual([]);
    expect(() => parseVlm4ts('The series looks odd around the middle.', 10)).toThrow(/no JSON/);
  });

  it('accepts a bare list and an empty object list; rejects items without interval_index', () => {
    expect(parseVlm4ts('[{"interval_index": [5, 5], "confidence": 1}]', 10).intervals).toEqual([
      { start: 5, end: 6, confidence: 1 },
    ]);
    expect(parseVlm4ts('{"anomalies": []}', 10).intervals).toEqual([]);
    expect(() => parseVlm4ts('{"anomalies": [{"index": 3}]}', 10)).toThrow(/interval_index/);
    expect(parseVlm4ts('{"anomalies": [{"interval_index": [8, 30]}]}', 10).intervals).toEqual([{ start: 8, end: 10 }]);
  });
});
