import { computed, inject, onBeforeUnmount, provide, ref, shallowRef, watch, type InjectionKey, type Ref } from 'vue';
import type { HistoryState, ProjectSummary, SearchHit } from '../../../common/contract';
import type { PredictionRecord, RunRecord } from '../../../common/detection';
import type { AnomalyType, Label } from '../../../common/domain';
import { api } from '../api';
import type { Band } from '../plugins/bands';
import type { Lane } from '../plugins/lanes';
import { TYPE_COLORS, withAlpha } from '../support/colors';
import { runColor } from '../support/run-colors';
import { reviewQueue, type QueueOrder } from '../support/review-queue';
import { clampViewport, fullViewport, panBy, zoomAt, type Viewport } from '../support/viewport';
import { createTimeLookup, TIME_LOOKUP } from './useTimeLookup';

/**
 * One project's session in the renderer: what is selected and shown, and the project's labels, runs,
 * predictions, review queue and history as last loaded. Data flows one way: components read this state
 * and call its named operations; an operation only asks the backend to change something, and the state
 * is reloaded from the backend's change events alone (labels, runs), never by the component that asked.
 * Large arrays sit in shallowRefs and are replaced, never mutated.
 */
export function useProjectSession(project: Ref<ProjectSummary>, onHistory: (h: HistoryState) => void) {
  const error = ref<string | null>(null);

  // ---- selection: series, companion channels, viewport ----
  const selectedSeriesId = ref<number | null>(project.value.series[0]?.id ?? null);
  const series = computed(() => project.value.series.find((s) => s.id === selectedSeriesId.value) ?? null);
  const length = () => series.value?.length ?? 1;
  /** other channels of the focused series' dataset shown under it, sharing its window and cursor */
  const companionIds = ref<number[]>([]);
  const companions = computed(() =>
    project.value.series.filter(
      (s) => companionIds.value.includes(s.id) && s.datasetId === series.value?.datasetId && s.id !== series.value?.id,
    ),
  );
  const allChannels = ref(false);
  const viewport = ref<Viewport>(fullViewport(length()));
  const highlight = ref<{ start: number; end: number } | null>(null);

  // ---- project data, as last loaded ----
  const labels = shallowRef<Label[]>([]);
  const companionLabels = shallowRef<Map<number, Label[]>>(new Map());
  const runs = shallowRef<RunRecord[]>([]);
  const predictions = shallowRef<Map<number, PredictionRecord[]>>(new Map());
  /** bumped whenever labels change anywhere: rationale cards and run metrics re-read on it */
  const labelsVersion = ref(0);

  // ---- what the analyst is working on ----
  const selectedLabelId = ref<number | null>(null);
  const selectedPredictionId = ref<number | null>(null);
  const visibleRunIds = ref<number[]>([]);
  const activeRunId = ref<number | null>(null);
  const queueOrder = ref<QueueOrder>('score');
  const newType = ref<AnomalyType>('unknown');
  /** what a drag on a chart does */
  const mode = ref<'label' | 'zoom'>('label');

  const selectedLabel = computed(() => labels.value.find((l) => l.id === selectedLabelId.value) ?? null);
  const activeRun = computed(() => runs.value.find((r) => r.id === activeRunId.value) ?? null);
  const queue = computed(() => {
    if (activeRunId.value === null) return [];
    const others = visibleRunIds.value.filter((id) => id !== activeRunId.value).map((id) => predictions.value.get(id) ?? []);
    return reviewQueue(predictions.value.get(activeRunId.value) ?? [], others, queueOrder.value);
  });
  const selectedPrediction = computed(() => {
    for (const list of predictions.value.values()) {
      const p = list.find((x) => x.id === selectedPredictionId.value);
      if (p) return p;
    }
    return null;
  });
  const show = ref({ labels: true, predictions: true, scores: true });
  const bands = computed<Band[]>(() => [
    ...(show.value.labels ? labels.value : []).map((l) => ({
      id: l.id,
      start: l.start,
      end: l.end,
      color: withAlpha(TYPE_COLORS[l.type], l.id === selectedLabelId.value ? 0.38 : 0.22),
      selected: l.id === selectedLabelId.value,
    })),
    ...(highlight.value ? [{ start: highlight.value.start, end: highlight.value.end, color: 'rgba(250, 200, 0, 0.45)' }] : []),
  ]);
  const companionBands = (id: number): Band[] =>
    (companionLabels.value.get(id) ?? []).map((l) => ({
      id: l.id,
      start: l.start,
      end: l.end,
      color: withAlpha(TYPE_COLORS[l.type], 0.22),
    }));
  const lanes = computed<Lane[]>(() =>
    (show.value.predictions ? visibleRunIds.value : []).map((runId) => ({
      color: runColor(runId),
      intervals: (predictions.value.get(runId) ?? []).map((p) => ({
        start: p.start,
        end: p.end,
        strength: p.score === null ? 0.5 : Math.min(1, Math.max(0, p.score)),
        status: p.status,
        selected: p.id === selectedPredictionId.value,
      })),
    })),
  );
  const inView = (iv: { start: number; end: number }) => iv.start < viewport.value.to && iv.end > viewport.value.from;
  const inViewCount = computed(() => queue.value.filter(inView).length);

  const times = createTimeLookup((seriesId) => {
    const s = project.value.series.find((x) => x.id === seriesId);
    return project.value.datasets.find((d) => d.id === s?.datasetId)?.hasTime ?? false;
  });

  async function guarded(fn: () => Promise<unknown>): Promise<void> {
    try {
      error.value = null;
      await fn();
    } catch (err) {
      error.value = (err as Error).message;
    }
  }

  // ---- loading (private: run on selection changes and backend events only) ----
  // responses can arrive out of order (an event-driven reload racing a selection change): only the newest counts
  let labelsSeq = 0;
  let predictionsSeq = 0;
  const knownRuns = new Set<number>();

  async function loadLabels(): Promise<void> {
    const id = selectedSeriesId.value;
    if (id === null) return;
    const seq = ++labelsSeq;
    const list = await api.listLabels({ seriesId: id });
    if (seq === labelsSeq && id === selectedSeriesId.value) labels.value = list;
  }

  async function loadCompanionLabels(): Promise<void> {
    const next = new Map<number, Label[]>();
    await Promise.all(companions.value.map(async (c) => next.set(c.id, await api.listLabels({ seriesId: c.id }))));
    companionLabels.value = next;
  }

  async function loadPredictions(): Promise<void> {
    const seriesId = selectedSeriesId.value;
    if (seriesId === null) return;
    const seq = ++predictionsSeq;
    const wanted = new Set([...visibleRunIds.value, ...(activeRunId.value !== null ? [activeRunId.value] : [])]);
    const next = new Map<number, PredictionRecord[]>();
    await Promise.all([...wanted].map(async (runId) => next.set(runId, await api.listPredictions({ seriesId, runId }))));
    if (seq === predictionsSeq && seriesId === selectedSeriesId.value) predictions.value = next;
  }

  async function loadRuns(): Promise<void> {
    const list = await api.listRuns({});
    runs.value = list;
    const ids = new Set(list.map((r) => r.id));
    visibleRunIds.value = visibleRunIds.value.filter((id) => ids.has(id));
    for (const r of list)
      if (r.status === 'done' && !knownRuns.has(r.id)) {
        knownRuns.add(r.id);
        visibleRunIds.value = [...visibleRunIds.value, r.id]; // a newly finished run shows up on the chart
        activeRunId.value = r.id;
      }
    if (activeRunId.value !== null && !ids.has(activeRunId.value)) activeRunId.value = null;
    await loadPredictions();
  }

  async function loadHistory(): Promise<void> {
    const p = await api.getProject({});
    if (p) onHistory(p.history);
  }

  const offEvents = api.onEvent((event) => {
    if (event.type === 'projectChanged' && event.reason === 'labels') {
      if (!event.seriesIds || event.seriesIds.includes(selectedSeriesId.value ?? -1)) void guarded(loadLabels);
      void guarded(loadCompanionLabels);
      labelsVersion.value++;
      void guarded(loadHistory);
      void guarded(loadPredictions);
    } else if (event.type === 'projectChanged' && event.reason === 'runs') void guarded(loadRuns);
    else if (event.type === 'jobProgress' && event.kind === 'detect' && event.state !== 'running') void guarded(loadRuns);
  });
  onBeforeUnmount(offEvents);
  void guarded(loadLabels);
  void guarded(loadRuns);

  // after an import, or when the selected series disappears, show the first series
  watch(
    () => project.value.series,
    (list) => {
      if (!list.some((s) => s.id === selectedSeriesId.value)) selectedSeriesId.value = list[0]?.id ?? null;
    },
  );
  watch(selectedSeriesId, () => {
    companionIds.value = companionIds.value.filter(
      (id) => project.value.series.find((s) => s.id === id)?.datasetId === series.value?.datasetId,
    );
    void guarded(loadCompanionLabels);
    viewport.value = fullViewport(length());
    selectedLabelId.value = null;
    labels.value = [];
    selectedPredictionId.value = null;
    void guarded(loadLabels);
    void guarded(loadPredictions);
  });

  // ---- operations: the viewport ----
  function setViewport(v: Viewport): void {
    viewport.value = clampViewport(v, length());
  }
  function focusInterval(iv: { start: number; end: number }): void {
    const pad = Math.max(20, (iv.end - iv.start) * 2);
    setViewport({ from: iv.start - pad, to: iv.end + pad });
  }
  const zoomBy = (factor: number) =>
    setViewport(zoomAt(viewport.value, (viewport.value.from + viewport.value.to) / 2, factor, length()));
  const panByShare = (share: number) => setViewport(panBy(viewport.value, share, length()));
  const fit = () => setViewport(fullViewport(length()));

  /** zooms to [from, to) given as times (epoch ms) on a series with a time axis */
  async function zoomToTimes(from: number, to: number): Promise<void> {
    const id = selectedSeriesId.value;
    if (id === null) return;
    await guarded(async () => {
      const [a, b] = await api.indicesAt({ seriesId: id, times: [from, to] });
      if (b <= a) throw new Error('No rows fall inside that time range.');
      setViewport({ from: a, to: b });
    });
  }

  // ---- operations: selection ----
  function selectSeries(id: number): void {
    selectedSeriesId.value = id;
  }
  function toggleCompanion(id: number): void {
    companionIds.value = companionIds.value.includes(id)
      ? companionIds.value.filter((x) => x !== id)
      : [...companionIds.value, id];
    void guarded(loadCompanionLabels);
  }
  function selectLabel(id: number | null): void {
    selectedLabelId.value = id;
  }
  function focusLabel(l: Label): void {
    selectedLabelId.value = l.id;
    focusInterval(l);
  }
  function jumpTo(hit: SearchHit): void {
    if (hit.seriesId !== selectedSeriesId.value) selectedSeriesId.value = hit.seriesId;
    setTimeout(() => {
      focusInterval(hit);
      if (hit.kind === 'label') selectedLabelId.value = hit.id;
    });
  }
  function toggleRun(runId: number): void {
    visibleRunIds.value = visibleRunIds.value.includes(runId)
      ? visibleRunIds.value.filter((id) => id !== runId)
      : [...visibleRunIds.value, runId];
    void guarded(loadPredictions);
  }
  function activateRun(runId: number): void {
    activeRunId.value = runId;
    if (!visibleRunIds.value.includes(runId)) visibleRunIds.value = [...visibleRunIds.value, runId];
    selectedPredictionId.value = null;
    void guarded(loadPredictions);
  }
  /** Steps the review queue: +1 next, -1 previous; the current item is the selected prediction. */
  function step(delta: number): void {
    const q = queue.value;
    if (q.length === 0) return;
    const i = q.findIndex((p) => p.id === selectedPredictionId.value);
    const next = q[i < 0 ? 0 : (i + delta + q.length) % q.length];
    selectedPredictionId.value = next.id;
    focusInterval(next);
  }

  // ---- operations: changes (the backend's events bring the new state) ----
  function createLabel(interval: { start: number; end: number }, onSeries: number | null = selectedSeriesId.value): void {
    if (onSeries === null) return;
    const targets = allChannels.value
      ? [...new Set([selectedSeriesId.value ?? onSeries, ...companions.value.map((c) => c.id)])]
      : [onSeries];
    void guarded(async () => {
      const created = await api.createLabels({
        items: targets.map((seriesId) => ({ seriesId, ...interval, type: newType.value })),
      });
      const mine = created.find((l) => l.seriesId === selectedSeriesId.value);
      if (mine) selectedLabelId.value = mine.id;
    });
  }
  function updateSelected(patch: { type?: AnomalyType; note?: string }): void {
    const id = selectedLabelId.value;
    if (id === null) return;
    void guarded(() => api.updateLabel({ id, ...patch }));
  }
  function editLabelRange(edit: { id: number; start: number; end: number }): void {
    void guarded(() => api.updateLabel(edit));
  }
  function deleteLabel(id: number): void {
    void guarded(async () => {
      await api.deleteLabel({ id });
      if (selectedLabelId.value === id) selectedLabelId.value = null;
    });
  }
  function review(action: 'accept' | 'reject'): void {
    const id = selectedPredictionId.value;
    if (id === null) return;
    const q = queue.value;
    const i = q.findIndex((p) => p.id === id);
    const following = q[i + 1] ?? q[i - 1] ?? null;
    void guarded(async () => {
      await api.reviewPredictions({ predictionIds: [id], action });
      // move on at once, so the next key press acts on the next item
      selectedPredictionId.value = following && following.id !== id ? following.id : null;
      if (following) focusInterval(following);
    });
  }
  /** Accepts or rejects every unreviewed prediction of the active run inside the current window, as one step. */
  function reviewAllInView(action: 'accept' | 'reject'): void {
    const ids = queue.value.filter(inView).map((p) => p.id);
    if (ids.length === 0) return;
    void guarded(async () => {
      await api.reviewPredictions({ predictionIds: ids, action });
      selectedPredictionId.value = null;
    });
  }

  const session = {
    project,
    error,
    times,
    // selection and view
    selectedSeriesId,
    series,
    companionIds,
    companions,
    allChannels,
    viewport,
    highlight,
    newType,
    mode,
    // data
    labels,
    companionLabels,
    runs,
    predictions,
    labelsVersion,
    selectedLabelId,
    selectedLabel,
    selectedPredictionId,
    selectedPrediction,
    visibleRunIds,
    activeRunId,
    activeRun,
    queueOrder,
    queue,
    inViewCount,
    show,
    bands,
    companionBands,
    lanes,
    // operations
    setViewport,
    focusInterval,
    zoomBy,
    panByShare,
    fit,
    zoomToTimes,
    selectSeries,
    toggleCompanion,
    selectLabel,
    focusLabel,
    jumpTo,
    toggleRun,
    activateRun,
    step,
    createLabel,
    updateSelected,
    editLabelRange,
    deleteLabel,
    review,
    reviewAllInView,
  };
  return session;
}

export type ProjectSession = ReturnType<typeof useProjectSession>;

const SESSION: InjectionKey<ProjectSession> = Symbol('project session');

/** Creates the session for a project view and offers it (and its time lookup) to every panel below. */
export function provideProjectSession(project: Ref<ProjectSummary>, onHistory: (h: HistoryState) => void): ProjectSession {
  const session = useProjectSession(project, onHistory);
  provide(SESSION, session);
  provide(TIME_LOOKUP, session.times);
  return session;
}

/** The session of the project view this component sits in. */
export function useSession(): ProjectSession {
  const s = inject(SESSION);
  if (!s) throw new Error('useSession() outside a project view');
  return s;
}
