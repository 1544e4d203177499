import { invalid } from '../core/errors.js';
import type { RequestContext } from './api-context.js';
import { readJson } from './request-body.js';

/** JSON object bodies with typed field access; wrong types are 400 `invalid`. */
export class JsonBody {
  private constructor(readonly value: Record<string, unknown>) {}

  static async read(ctx: RequestContext, options: { allowEmpty?: boolean } = {}): Promise<JsonBody> {
    const v = await readJson(ctx.req, ctx.deps.options.maxBodyBytes);
    if (v === undefined && options.allowEmpty === true) return new JsonBody({});
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw invalid('failed to decode request body: expected a JSON object');
    return new JsonBody(v as Record<string, unknown>);
  }

  has(key: string): boolean {
    return this.value[key] !== undefined && this.value[key] !== null;
  }

  string(key: string): string | undefined {
    const v = this.value[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') throw invalid(`failed to decode request body: ${key} must be a string`);
    return v;
  }

  number(key: string): number | undefined {
    const v = this.value[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw invalid(`failed to decode request body: ${key} must be a number`);
    return v;
  }

  array(key: string): unknown[] | undefined {
    const v = this.value[key];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v)) throw invalid(`failed to decode request body: ${key} must be an array`);
    return v;
  }

  object(key: string): Record<string, unknown> | undefined {
    const v = this.value[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'object' || Array.isArray(v)) throw invalid(`failed to decode request body: ${key} must be an object`);
    return v as Record<string, unknown>;
  }
}
