import type { ErrorCode } from '../../core/errors.js';
import { FluxError } from '../../flux/interpreter/index.js';

/**
 * What a remote host said (its `{"code","message"}`, an error table in its response) or why it
 * could not be reached, reported in exactly those words wherever it surfaces: before the first
 * byte of our response (the HTTP error's code and message), inside it (the error table's text),
 * or in a task run's log. InfluxDB passes a remote's error through the same way.
 *
 * It is a `FluxError` because the remote's text is already worded and positioned by Flux (the
 * remote's own query): the call that read it (`from`, or the aggregate pushed into it) must not
 * position it a second time (`atCall` passes FluxErrors through). `code` is the remote's.
 */
export class RemoteError extends FluxError {
  constructor(code: ErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, { code, ...(options.cause === undefined ? {} : { cause: options.cause }), runtime: true });
    this.message = message;
    this.name = 'RemoteError';
  }
}
