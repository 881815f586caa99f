import type { PromiseRecord } from './context';

/**
 * A case's promises, in chunks of 32 kept in id order. A long-lived case collects thousands of promises,
 * and state is immutable: changing one promise copies its chunk and the list of chunks, not every promise
 * (folding a long history stays fast). Read it flat with `allPromises`.
 */
export type PromiseList = PromiseRecord[][];

const CHUNK = 32;

export function allPromises(list: PromiseList): PromiseRecord[] {
  return list.flat();
}

export function promiseCount(list: PromiseList): number {
  const last = list[list.length - 1];
  return last ? (list.length - 1) * CHUNK + last.length : 0;
}

export function promiseAtIndex(list: PromiseList, index: number): PromiseRecord | undefined {
  return index < 0 ? undefined : list[Math.floor(index / CHUNK)]?.[index % CHUNK];
}

/** A new list with the promise at `index` replaced. */
export function withPromiseAt(list: PromiseList, index: number, promise: PromiseRecord): PromiseList {
  const c = Math.floor(index / CHUNK);
  const chunk = list[c];
  if (!chunk || index % CHUNK >= chunk.length) return list;
  const next = list.slice();
  const copy = chunk.slice();
  copy[index % CHUNK] = promise;
  next[c] = copy;
  return next;
}

/** A new list with `promises` added at the end. */
export function withPromisesAdded(list: PromiseList, promises: PromiseRecord[]): PromiseList {
  if (promises.length === 0) return list;
  const next = list.slice();
  for (const p of promises) {
    const last = next[next.length - 1];
    if (!last || last.length === CHUNK) next.push([p]);
    else next[next.length - 1] = [...last, p];
  }
  return next;
}

/** Whether any promise is open; the newest are the likeliest open, so it looks from the end. */
export function anyOpen(list: PromiseList): boolean {
  for (let c = list.length - 1; c >= 0; c--) {
    const chunk = list[c]!;
    for (let i = chunk.length - 1; i >= 0; i--) if (chunk[i]!.status === 'open') return true;
  }
  return false;
}
