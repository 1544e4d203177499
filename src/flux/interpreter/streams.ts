import type { TableStream } from '../execute/table-stream.js';
import type { Table } from '../execute/table.js';

/**
 * Re-iterable streams. A Flux variable holding a stream may be consumed more than once
 * (`data |> yield(name: "a")` and `data |> yield(name: "b")`), while a `TableStream` iterator is
 * single pass. A lazy stream re-runs its producer for every consumer, so pure pipelines stay
 * streaming and nothing is buffered that need not be.
 */
export function lazyStream(produce: () => TableStream): TableStream {
  return { [Symbol.asyncIterator]: () => produce()[Symbol.asyncIterator]() };
}

/**
 * A stream whose producer has side effects (`to()`, `http.post` in a map) and so must run once
 * per execution however many consumers there are: the first consumer drives it and records the
 * tables; later consumers wait for it to finish and replay them.
 */
export function onceStream(produce: () => TableStream): TableStream {
  let recorded: Promise<Table[]> | undefined;
  let resolveRecorded: ((tables: Table[]) => void) | undefined;
  let rejectRecorded: ((e: unknown) => void) | undefined;
  return {
    async *[Symbol.asyncIterator]() {
      if (recorded !== undefined) {
        yield* await recorded;
        return;
      }
      recorded = new Promise<Table[]>((resolve, reject) => {
        resolveRecorded = resolve;
        rejectRecorded = reject;
      });
      // Waiting consumers must not turn an error into an unhandled rejection.
      recorded.catch(() => undefined);
      const tables: Table[] = [];
      try {
        for await (const t of produce()) {
          tables.push(t);
          yield t;
        }
        resolveRecorded!(tables);
      } catch (e) {
        rejectRecorded!(e);
        throw e;
      }
    },
  };
}
