import type { LogEvent } from '../../../core/event/types.ts';
import { RESERVED_FIELDS } from '../../../core/event/types.ts';
import type { KeywordField, QueryNode } from '../../../core/query/index.ts';
import { attrText, readAttr } from '../../../core/query/values.ts';

export type { GroupValue } from '../../../core/ports/alertStore.ts';

import type { GroupValue } from '../../../core/ports/alertStore.ts';

/** How a `group_by` entry reads an event and matches a value in a query. */
export type GroupField =
  | { kind: 'keyword'; label: string; field: KeywordField }
  | { kind: 'level'; label: string }
  | { kind: 'attr'; label: string; name: string };

const ATTRS_PREFIX = 'attrs.';
/** Attribute names the query language can write (core/query/lexer.ts FIELD_NAME). */
const FIELD_NAME = /^[\p{L}_@](?:[\p{L}\p{N}_.@-]*[\p{L}\p{N}_])?$/u;
/** Grouping by these makes no sense: every event has its own time, and messages are full text. */
const UNGROUPABLE = new Set(['ts', 'message']);

export class GroupFieldError extends Error {
  readonly code = 'group_by_invalid';
  readonly field: string;

  constructor(field: string, reason: string) {
    super(`group_by field ${JSON.stringify(field.slice(0, 64))}: ${reason}`);
    this.name = 'GroupFieldError';
    this.field = field;
  }
}

/** Reads a `group_by` entry the way the query language reads a field name (`attrs.x` or `x` for attributes). */
export function groupField(label: string): GroupField {
  if (UNGROUPABLE.has(label)) {
    throw new GroupFieldError(
      label,
      'cannot group by ts or message; use service, host, level or an attribute',
    );
  }
  if ((RESERVED_FIELDS as readonly string[]).includes(label)) {
    return label === 'level'
      ? { kind: 'level', label }
      : { kind: 'keyword', label, field: label as KeywordField };
  }
  const name = label.startsWith(ATTRS_PREFIX) ? label.slice(ATTRS_PREFIX.length) : label;
  if (!FIELD_NAME.test(label) || name === '') {
    throw new GroupFieldError(label, 'expected a field name such as service, host or http.status');
  }
  return { kind: 'attr', label, name };
}

export function groupValue(field: GroupField, event: LogEvent): GroupValue {
  switch (field.kind) {
    case 'level':
      return event.level;
    case 'keyword': {
      const value = event[field.field];
      return typeof value === 'string' ? value : null;
    }
    case 'attr':
      return readAttr(event.attrs, field.name) ?? null;
  }
}

/**
 * The query term selecting one group's value, so a group can be counted by the store on its own and
 * linked to in the UI. A missing value is "the field is absent".
 */
export function groupTerm(field: GroupField, value: GroupValue): QueryNode {
  const span = { start: 0, end: 0 };
  if (field.kind === 'level') return { type: 'level', op: 'eq', level: value as LogEvent['level'], ...span };
  if (field.kind === 'keyword') {
    if (value === null) {
      return {
        type: 'not',
        child: { type: 'keyword', field: field.field, op: 'exists', value: '', ...span },
        ...span,
      };
    }
    return { type: 'keyword', field: field.field, op: 'eq', value: String(value), ...span };
  }
  if (value === null) {
    return {
      type: 'not',
      child: { type: 'attr', name: field.name, op: 'exists', value: '', number: null, ...span },
      ...span,
    };
  }
  // Numbers match numeric attributes (and text with the same digits); strings and booleans match as text.
  const number = typeof value === 'number' ? value : null;
  return { type: 'attr', name: field.name, op: 'eq', value: attrText(value), number, ...span };
}
