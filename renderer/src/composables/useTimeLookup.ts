import { inject, ref, type InjectionKey } from 'vue';
import { api } from '../api';
import { clockOf, formatDuration, formatSpan, formatTime } from '../support/time';
import { useTimeSetting } from './useTimeSetting';

/**
 * Index → time for what the renderer lists (labels, predictions, queue items, search hits, claims): asks
 * the backend (`timesAt`) for the indices it is shown, in batches, and keeps the answers for the session.
 * Reading is reactive: a lookup that is still on its way reads `undefined`, and the list redraws when it lands.
 */
export interface TimeLookup {
  /** epoch ms of an index; undefined while asked for, null for a series without a time axis */
  at(seriesId: number, index: number): number | null | undefined;
  /** "2013-12-10 06:25 – 2013-12-12 05:40" and "1 d 23 h" for [start, end), or null without time */
  span(seriesId: number, start: number, end: number): { text: string; duration: string } | null;
  /** "2013-12-10 06:25" for one index, or null without time */
  instant(seriesId: number, index: number): string | null;
  hasTime(seriesId: number): boolean;
}

export const TIME_LOOKUP: InjectionKey<TimeLookup> = Symbol('time lookup');

export function createTimeLookup(hasTime: (seriesId: number) => boolean): TimeLookup {
  const known = new Map<number, Map<number, number>>();
  const pending = new Map<number, Set<number>>();
  const version = ref(0);
  const { zone } = useTimeSetting();
  let scheduled = false;

  async function flush(): Promise<void> {
    scheduled = false;
    const batches = [...pending.entries()];
    pending.clear();
    await Promise.all(
      batches.map(async ([seriesId, set]) => {
        const indices = [...set];
        try {
          const times = await api.timesAt({ seriesId, indices });
          const map = known.get(seriesId) ?? new Map<number, number>();
          if (times) indices.forEach((i, k) => map.set(i, times[k]));
          known.set(seriesId, map);
        } catch {
          // a series that went away (or an index past its end) simply shows no time
        }
      }),
    );
    version.value++;
  }

  function at(seriesId: number, index: number): number | null | undefined {
    void version.value; // reactive dependency: re-read when a batch lands
    if (!hasTime(seriesId)) return null;
    const hit = known.get(seriesId)?.get(index);
    if (hit !== undefined) return hit;
    const set = pending.get(seriesId) ?? new Set<number>();
    set.add(index);
    pending.set(seriesId, set);
    if (!scheduled) {
      scheduled = true;
      setTimeout(() => void flush(), 0);
    }
    return undefined;
  }

  return {
    at,
    hasTime,
    span(seriesId, start, end) {
      const a = at(seriesId, start);
      const b = at(seriesId, end);
      if (a === null || a === undefined || b === null || b === undefined) return null;
      return { text: formatSpan(a, b, clockOf(zone.value)), duration: formatDuration(b - a) };
    },
    instant(seriesId, index) {
      const t = at(seriesId, index);
      return t === null || t === undefined ? null : formatTime(t, clockOf(zone.value));
    },
  };
}

const NONE: TimeLookup = { at: () => null, span: () => null, instant: () => null, hasTime: () => false };

/** The project's time lookup (a component outside a project sees none and shows indices only). */
export function useTimeLookup(): TimeLookup {
  return inject(TIME_LOOKUP, NONE);
}
