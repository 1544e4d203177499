/**
 * Keeps one instance of a class alive for the life of the process, so that V8 never collects its
 * hidden class ("map").
 *
 * V8 holds the map of a class's instances only weakly once its constructor has run (a transition
 * from the constructor's initial map), so a full GC that finds no live instance collects it, and
 * with it every optimised function that had embedded it ("reason: weak objects" in
 * `--trace-deopt`). The objects a query builds (encoders, row writers, tables, readers, the Flux
 * scanner and parser) live only while it runs: a GC between two queries (V8 starts one when a
 * busy process goes quiet; ingest triggers others) threw away the optimised code of the whole read,
 * encode and parse path, and the next query ran in the interpreter (the peer benchmark's (a) in
 * one process: 7.5 ms warm, 24-50 ms after such a GC, 11-25 ms on the run after).
 *
 * A module whose class is built per query anchors one instance, made as the queries make them
 * (same constructor, same kinds of field values), at load time: the maps that instance took are
 * the ones later instances take, and they stay alive through it. `test/shape-anchors.test.ts`
 * checks, in a child process, that a full GC after warm queries deoptimises (almost) nothing.
 */
const anchored: object[] = [];

/** Keeps `instances` (and so their maps) alive for the life of the process. */
export function anchorShapes(...instances: object[]): void {
  anchored.push(...instances);
}
