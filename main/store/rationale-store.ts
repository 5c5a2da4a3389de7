import type Database from 'better-sqlite3';
import type { AnomalyType, Interval } from '../../common/domain';

/**
 * The rationales table: the analyst's edits, model rationales (with their provenance) and imported texts.
 * Every SQL statement over `rationales` lives here; the reasoning, export and VLM services call these
 * methods. Rows are append-only in practice: a new edit is a new row, and readers take the newest.
 */
export interface NewRationale {
  seriesId: number;
  start: number;
  end: number;
  labelId?: number | null;
  predictionId?: number | null;
  /** 'analyst', 'model', 'imported', or a source an import file named */
  source: string;
  /** provenance (model, endpoint without credentials, prompt, image hash, import file ...) */
  detail?: Record<string, unknown>;
  type?: AnomalyType | null;
  text: string;
  /** the measured evidence the text was written against */
  evidence?: unknown;
  /** the faithfulness counts (or reward components) of the text */
  reward?: unknown;
  edited?: boolean;
}

export interface RationaleRow {
  id: number;
  seriesId: number;
  start: number;
  end: number;
  labelId: number | null;
  predictionId: number | null;
  source: string;
  detail: Record<string, unknown>;
  type: AnomalyType | null;
  text: string;
  edited: boolean;
}

interface Row {
  id: number;
  series_id: number;
  start: number;
  end: number;
  label_id: number | null;
  prediction_id: number | null;
  source: string;
  source_detail: string;
  anomaly_type: string | null;
  text: string;
  edited: number;
}

const COLUMNS = 'id, series_id, start, end, label_id, prediction_id, source, source_detail, anomaly_type, text, edited';

function fromRow(r: Row): RationaleRow {
  return {
    id: r.id,
    seriesId: r.series_id,
    start: r.start,
    end: r.end,
    labelId: r.label_id,
    predictionId: r.prediction_id,
    source: r.source,
    detail: JSON.parse(r.source_detail) as Record<string, unknown>,
    type: r.anomaly_type as AnomalyType | null,
    text: r.text,
    edited: r.edited === 1,
  };
}

export class RationaleStore {
  constructor(
    private readonly db: Database.Database,
    /** throws when the project is open read-only */
    private readonly assertWritable: () => void = () => undefined,
  ) {}

  /** Adds rationales in one transaction (inside the caller's, when there is one); returns their ids. */
  add(items: readonly NewRationale[]): number[] {
    this.assertWritable();
    const insert = this.db.prepare(
      `INSERT INTO rationales(series_id, start, end, label_id, prediction_id, source, source_detail, anomaly_type, text,
                              evidence, reward, edited, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    return this.db.transaction(() =>
      items.map(
        (r) =>
          insert.run(
            r.seriesId,
            r.start,
            r.end,
            r.labelId ?? null,
            r.predictionId ?? null,
            r.source,
            JSON.stringify(r.detail ?? {}),
            r.type ?? null,
            r.text,
            JSON.stringify(r.evidence ?? {}),
            JSON.stringify(r.reward ?? {}),
            r.edited ? 1 : 0,
            new Date().toISOString(),
          ).lastInsertRowid as number,
      ),
    )();
  }

  /**
   * Rationales that came with imported labels, one per label with a non-empty text: source 'imported' unless
   * the file names one ('analyst' texts count as edited). Returns how many were added.
   */
  addForLabels(
    items: readonly { label: Interval & { id: number; seriesId: number }; text: string; source?: string | null }[],
    detail: Record<string, unknown>,
  ): number {
    const rows = items
      .filter((i) => i.text !== '')
      .map((i) => {
        const source = i.source ?? 'imported';
        return {
          seriesId: i.label.seriesId,
          start: i.label.start,
          end: i.label.end,
          labelId: i.label.id,
          source,
          detail,
          text: i.text,
          edited: source === 'analyst',
        };
      });
    this.add(rows);
    return rows.length;
  }

  /** The analyst's latest text for exactly this interval, if any. */
  analystEdit(seriesId: number, iv: Interval): RationaleRow | undefined {
    const r = this.db
      .prepare(
        `SELECT ${COLUMNS} FROM rationales WHERE series_id = ? AND start = ? AND end = ? AND source = 'analyst' ORDER BY id DESC LIMIT 1`,
      )
      .get(seriesId, iv.start, iv.end) as Row | undefined;
    return r && fromRow(r);
  }

  /** Rationales other than the analyst's that overlap an interval, by start. */
  overlapping(seriesId: number, iv: Interval): RationaleRow[] {
    const rows = this.db
      .prepare(
        `SELECT ${COLUMNS} FROM rationales WHERE series_id = ? AND start < ? AND end > ? AND source != 'analyst' ORDER BY start, id`,
      )
      .all(seriesId, iv.end, iv.start) as Row[];
    return rows.map(fromRow);
  }

  /** Every rationale of a series, oldest first. */
  forSeries(seriesId: number): RationaleRow[] {
    return (this.db.prepare(`SELECT ${COLUMNS} FROM rationales WHERE series_id = ? ORDER BY id`).all(seriesId) as Row[]).map(
      fromRow,
    );
  }

  /**
   * The rationale that goes with a label or prediction: the analyst's text for the interval first, then one
   * stored for the label, then for the prediction it came from, then any for the same interval.
   */
  forLabel(
    seriesId: number,
    iv: Interval,
    labelId: number | null,
    predictionId: number | null,
  ): { text: string; source: string } | undefined {
    const one = (sql: string, ...args: number[]) =>
      this.db.prepare(`SELECT text, source FROM rationales WHERE ${sql} ORDER BY id DESC LIMIT 1`).get(...args) as
        { text: string; source: string } | undefined;
    return (
      one("series_id = ? AND start = ? AND end = ? AND source = 'analyst'", seriesId, iv.start, iv.end) ??
      (labelId !== null ? one('label_id = ?', labelId) : undefined) ??
      (predictionId !== null ? one('prediction_id = ?', predictionId) : undefined) ??
      one('series_id = ? AND start = ? AND end = ?', seriesId, iv.start, iv.end)
    );
  }

  /** The newest rationale stored for a prediction. */
  forPrediction(predictionId: number): { text: string; source: string } | undefined {
    return this.db
      .prepare('SELECT text, source FROM rationales WHERE prediction_id = ? ORDER BY id DESC LIMIT 1')
      .get(predictionId) as { text: string; source: string } | undefined;
  }
}
