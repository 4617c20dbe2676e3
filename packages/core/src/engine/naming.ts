/** Keras's automatic names: the class name in snake_case, then `_1`, `_2`, ... for later instances. */
const counters = new Map<string, number>();

export function toSnakeCase(name: string): string {
  return name
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

export function uniqueName(className: string): string {
  const base = toSnakeCase(className);
  const count = counters.get(base) ?? 0;
  counters.set(base, count + 1);
  return count === 0 ? base : `${base}_${count}`;
}

/** @internal for tests: start the automatic names again (Keras's clear_session does this). */
export function resetNames(): void {
  counters.clear();
}
