import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { StorageStats } from '../storage/storage.js';

/**
 * How often the event-loop lag metrics (`nodejs_eventloop_lag_*`) sample, ms. prom-client's
 * default, 10 ms, is a timer firing 100 times a second: on this project's VMs it kept an idle
 * server busy ~9 ms per second (0.9 % of a core, summed over the threads' schedstat), waking it
 * while other processes worked (the peer benchmark's other servers, when they run side by side).
 * At 100 ms an idle server uses ~1 ms per second, and a block of the event loop still shows (a
 * sample due during it fires late by the block's remainder).
 */
export const EVENT_LOOP_SAMPLE_MS = 100;

/**
 * The server's Prometheus metrics, in a registry of its own (several servers can live in one
 * process, e.g. in tests). Storage gauges are read from `Storage.stats()` at scrape time.
 */
export class ApiMetrics {
  readonly registry = new Registry();
  readonly httpRequests: Counter<'route' | 'method' | 'status'>;
  readonly httpDuration: Histogram<'route' | 'method'>;
  readonly writeValues: Counter;
  readonly writePoints: Counter;
  readonly writeBytes: Counter;
  readonly writeRejectedPoints: Counter;
  readonly writesInFlight: Gauge;

  constructor(storageStats: () => StorageStats | undefined, options: { processMetrics?: boolean } = {}) {
    const registers = [this.registry];
    this.httpRequests = new Counter({
      name: 'sluice_http_requests_total',
      help: 'HTTP requests by route pattern, method and status.',
      labelNames: ['route', 'method', 'status'],
      registers,
    });
    this.httpDuration = new Histogram({
      name: 'sluice_http_request_duration_seconds',
      help: 'HTTP request duration by route pattern and method.',
      labelNames: ['route', 'method'],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10],
      registers,
    });
    this.writeValues = new Counter({ name: 'sluice_write_values_total', help: 'Field values stored by writes.', registers });
    this.writePoints = new Counter({ name: 'sluice_write_points_total', help: 'Points stored by writes.', registers });
    this.writeBytes = new Counter({
      name: 'sluice_write_bytes_total',
      help: 'Line protocol bytes received by writes (after decompression).',
      registers,
    });
    this.writeRejectedPoints = new Counter({
      name: 'sluice_write_rejected_points_total',
      help: 'Points dropped by storage (partial writes).',
      registers,
    });
    this.writesInFlight = new Gauge({ name: 'sluice_http_writes_in_flight', help: 'Writes being processed.', registers });

    const storageGauge = (name: string, help: string, pick: (s: StorageStats) => number): void => {
      new Gauge({
        name,
        help,
        registers,
        collect() {
          const s = storageStats();
          if (s !== undefined) this.set(pick(s));
        },
      });
    };
    storageGauge('sluice_storage_series', 'Series in storage.', (s) => s.series);
    storageGauge('sluice_storage_blocks', 'Blocks on disk.', (s) => s.blocks);
    storageGauge('sluice_storage_wal_bytes', 'WAL size in bytes.', (s) => s.walBytes);
    storageGauge('sluice_storage_head_points', 'Points in the in-memory head.', (s) => s.headPoints);
    storageGauge('sluice_storage_disk_bytes', 'Bytes of blocks on disk.', (s) => s.diskBytes);

    if (options.processMetrics !== false) {
      collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
    }
  }
}
