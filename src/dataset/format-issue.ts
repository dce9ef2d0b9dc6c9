import type { ValidationIssue } from './schema.ts';

/** `file:12 messages[1].content: the answer is empty -> write the expected answer` (DESIGN.md). */
export function formatIssue(file: string, issue: ValidationIssue): string {
  const name = issue.file ?? file;
  const where = issue.line === undefined ? name : `${name}:${issue.line}`;
  const path = issue.path ? ` ${issue.path}:` : '';
  return `${where}${path} ${issue.message} -> ${issue.hint}`;
}
