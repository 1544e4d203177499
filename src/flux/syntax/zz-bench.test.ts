import { test } from 'vitest';
import suite from '../../../bench/flux-parse.bench.js';
import { formatFigure } from '../../../bench/harness.js';
test('bench', async () => { for (let i = 0; i < 2; i++) await suite.run((f) => console.log(formatFigure(f))); }, 120000);
