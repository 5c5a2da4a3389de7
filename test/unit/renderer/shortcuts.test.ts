import { describe, expect, it } from 'vitest';
import {
  defaultBindings,
  eventKey,
  loadBindings,
  matchAction,
  rebind,
  saveBindings,
} from '../../../renderer/src/support/shortcuts';

const ev = (key: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }> = {}) => ({
  key,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...mods,
});

class MemoryStorage {
  data = new Map<string, string>();
  getItem(k: string) {
    return this.data.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.data.set(k, v);
  }
}

describe('shortcuts', () => {
  it('normalizes key events', () => {
    expect(eventKey(ev('z', { ctrlKey: true }))).toBe('Ctrl+z');
    expect(eventKey(ev('Z', { ctrlKey: true, shiftKey: true }))).toBe('Ctrl+Shift+z');
    expect(eventKey(ev('z', { metaKey: true }))).toBe('Ctrl+z');
    expect(eventKey(ev('?', { shiftKey: true }))).toBe('?');
    expect(eventKey(ev('ArrowLeft', { shiftKey: true }))).toBe('Shift+ArrowLeft');
  });

  it('maps events to actions with the defaults', () => {
    const b = defaultBindings();
    expect(matchAction(b, ev('z', { ctrlKey: true }))).toBe('undo');
    expect(matchAction(b, ev('Z', { ctrlKey: true, shiftKey: true }))).toBe('redo');
    expect(matchAction(b, ev('3'))).toBe('type3');
    expect(matchAction(b, ev('a'))).toBe('accept');
    expect(matchAction(b, ev('q'))).toBeNull();
  });

  it('rebinds a key, removing it from the action that had it, and persists the change', () => {
    const storage = new MemoryStorage();
    const b = rebind(defaultBindings(), 'accept', 'y');
    expect(matchAction(b, ev('y'))).toBe('accept');
    expect(matchAction(b, ev('a'))).toBeNull();
    const stolen = rebind(b, 'reject', 'y');
    expect(matchAction(stolen, ev('y'))).toBe('reject');
    expect(stolen.accept).toEqual([]);
    saveBindings(stolen, storage);
    expect(loadBindings(storage).reject).toEqual(['y']);
    storage.setItem('tsad.shortcuts', '{not json');
    expect(loadBindings(storage)).toEqual(defaultBindings());
  });
});
