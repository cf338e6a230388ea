/** Listeners grouped by key, within one process: a store's order listeners, a Redis channel's fan-out. */

/** Adds listeners under a key and calls every listener of a key, in the order they were added. */
export function keyedListeners<T>() {
  const sets = new Map<string, Set<(value: T) => void>>();
  return {
    /** Calls each listener of `key` with `value`; one that unsubscribes meanwhile is still called this once. */
    emit(key: string, value: T) {
      for (const listener of [...(sets.get(key) ?? [])]) listener(value);
    },
    /** Adds `listener` under `key`; returns the function that removes it. */
    add(key: string, listener: (value: T) => void): () => void {
      let set = sets.get(key);
      if (!set) sets.set(key, (set = new Set()));
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0 && sets.get(key) === set) sets.delete(key);
      };
    },
    clear() {
      sets.clear();
    },
  };
}
