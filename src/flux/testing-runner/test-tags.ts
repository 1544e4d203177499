import type { Statement } from '../syntax/ast.js';

/**
 * The tags of a test program: every `option testing.tags = ["a", "b"]` among its statements
 * (preamble or testcase block), as Flux's runner reads them. Non-literal elements are ignored:
 * tags must be known before the program runs.
 */
export function readTestTags(statements: readonly Statement[]): string[] {
  const tags: string[] = [];
  for (const s of statements) {
    if (s.kind !== 'OptionStatement' || s.assignment.kind !== 'MemberAssignment') continue;
    const { member, init } = s.assignment;
    const property = member.property.kind === 'Identifier' ? member.property.name : member.property.value;
    if (member.object.kind !== 'Identifier' || member.object.name !== 'testing' || property !== 'tags') continue;
    if (init.kind !== 'ArrayExpression') continue;
    for (const e of init.elements) if (e.kind === 'StringLiteral' && !tags.includes(e.value)) tags.push(e.value);
  }
  return tags;
}
