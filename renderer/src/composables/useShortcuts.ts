import { onBeforeUnmount, onMounted, ref } from 'vue';
import { loadBindings, matchAction, rebind, saveBindings, type Bindings, type ShortcutAction } from '../support/shortcuts';

const bindings = ref<Bindings>(loadBindings());

/** The shared, user-customizable key bindings. */
export function useBindings() {
  return {
    bindings,
    setBinding(action: ShortcutAction, key: string) {
      bindings.value = rebind(bindings.value, action, key);
      saveBindings(bindings.value);
    },
  };
}

/**
 * Calls `handlers[action]` for key presses bound to an action the component handles, ignoring typing
 * in form fields; removes its listener on unmount.
 */
export function useShortcuts(handlers: Partial<Record<ShortcutAction, () => void>>): void {
  const onKey = (e: KeyboardEvent) => {
    const target = e.target as HTMLElement | null;
    if (
      target &&
      (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT' || target.isContentEditable)
    )
      return;
    const action = matchAction(bindings.value, e);
    const handler = action ? handlers[action] : undefined;
    if (!handler) return;
    e.preventDefault();
    handler();
  };
  onMounted(() => window.addEventListener('keydown', onKey));
  onBeforeUnmount(() => window.removeEventListener('keydown', onKey));
}
