/**
 * Keyboard shortcuts: one table of actions with default keys, user overrides kept in localStorage,
 * and a matcher from key events to actions. The help overlay (?) reads and edits the same table.
 */
export const SHORTCUT_ACTIONS = {
  next: { label: 'Next item in the review queue', keys: ['n', 'j'] },
  previous: { label: 'Previous item in the review queue', keys: ['p', 'k'] },
  accept: { label: 'Accept the selected prediction as a label', keys: ['a'] },
  reject: { label: 'Reject the selected prediction', keys: ['r'] },
  delete: { label: 'Delete the selected label', keys: ['Delete', 'Backspace'] },
  undo: { label: 'Undo', keys: ['Ctrl+z'] },
  redo: { label: 'Redo', keys: ['Ctrl+Shift+z', 'Ctrl+y'] },
  zoomIn: { label: 'Zoom in', keys: ['+', '='] },
  zoomOut: { label: 'Zoom out', keys: ['-'] },
  panLeft: { label: 'Pan left', keys: ['ArrowLeft'] },
  panRight: { label: 'Pan right', keys: ['ArrowRight'] },
  fit: { label: 'Fit the whole series', keys: ['0', 'Home'] },
  labelMode: { label: 'Drag creates labels', keys: ['l'] },
  zoomMode: { label: 'Drag zooms', keys: ['z'] },
  exportDialog: { label: 'Export the project (labels, benchmark formats, fine-tuning data)', keys: ['Ctrl+e'] },
  importLabelsDialog: { label: 'Import labels from a file', keys: ['Ctrl+Shift+l'] },
  help: { label: 'Show this help', keys: ['?'] },
} as const;

export type ShortcutAction = keyof typeof SHORTCUT_ACTIONS | `type${1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9}`;
export type Bindings = Record<ShortcutAction, string[]>;

const STORAGE_KEY = 'tsad.shortcuts';

export function defaultBindings(): Bindings {
  const b = Object.fromEntries(Object.entries(SHORTCUT_ACTIONS).map(([k, v]) => [k, [...v.keys]])) as Record<string, string[]>;
  for (let i = 1; i <= 9; i++) b[`type${i}`] = [String(i)];
  return b as Bindings;
}

/** Normalizes a key event to a binding string such as "Ctrl+Shift+z" or "ArrowLeft". */
export function eventKey(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>): string {
  const mods: string[] = [];
  if (e.ctrlKey || e.metaKey) mods.push('Ctrl');
  if (e.altKey) mods.push('Alt');
  const printable = e.key.length === 1;
  // Shift is part of printable characters ("?" is Shift+/), so it only counts as a modifier with Ctrl/Alt or named keys
  if (e.shiftKey && (!printable || mods.length > 0)) mods.push('Shift');
  const key = printable
    ? e.key.toLowerCase() === e.key.toUpperCase()
      ? e.key
      : mods.length > 0
        ? e.key.toLowerCase()
        : e.key
    : e.key;
  return [...mods, key].join('+');
}

export function loadBindings(storage: Pick<Storage, 'getItem'> = localStorage): Bindings {
  const bindings = defaultBindings();
  try {
    const saved = JSON.parse(storage.getItem(STORAGE_KEY) ?? '{}') as Partial<Bindings>;
    for (const [action, keys] of Object.entries(saved)) {
      if (action in bindings && Array.isArray(keys) && keys.every((k) => typeof k === 'string'))
        bindings[action as ShortcutAction] = keys;
    }
  } catch {
    /* corrupt settings fall back to defaults */
  }
  return bindings;
}

export function saveBindings(bindings: Bindings, storage: Pick<Storage, 'setItem'> = localStorage): void {
  storage.setItem(STORAGE_KEY, JSON.stringify(bindings));
}

/** Rebinds `action` to `key`, taking the key away from any other action that had it. */
export function rebind(bindings: Bindings, action: ShortcutAction, key: string): Bindings {
  const next = { ...bindings } as Bindings;
  for (const a of Object.keys(next) as ShortcutAction[]) next[a] = next[a].filter((k) => k !== key);
  next[action] = [key];
  return next;
}

export function matchAction(
  bindings: Bindings,
  e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>,
): ShortcutAction | null {
  const key = eventKey(e);
  for (const [action, keys] of Object.entries(bindings) as [ShortcutAction, string[]][]) if (keys.includes(key)) return action;
  return null;
}

export function actionLabel(action: ShortcutAction, typeNames: readonly string[]): string {
  if (action.startsWith('type')) return `Set the selected label's type to ${typeNames[Number(action.slice(4)) - 1] ?? '—'}`;
  return SHORTCUT_ACTIONS[action as keyof typeof SHORTCUT_ACTIONS].label;
}
