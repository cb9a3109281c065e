/**
 * Reads the NDJSON event stream Schemathesis writes (`--report ndjson`) and boils it down to what
 * a person routes: each distinct failure once, with the operations and statuses it hit and a few
 * requests and responses that show it, plus the status codes each operation answered, so a run
 * that never got past validation or authorisation is visible too.
 */
import { readFileSync } from 'node:fs';

export interface FailureExample {
  role: string;
  operation: string;
  request: string;
  response: string;
  /** The response's x-request-id, to find the request in the service's log. */
  requestId: string;
  /** For a server error: what the service logged for that request (message and where). */
  cause?: string;
}

/**
 * One kind of failure. A server error is one per operation and status (each is its own bug); a
 * conformance failure is one per check and message (one missing media type in the document fails
 * every operation in the same words), with the operations it hit listed.
 */
export interface FailureGroup {
  check: string;
  code: string;
  message: string;
  /** Operation label → response status → how many failing checks. */
  hits: Map<string, Map<number, number>>;
  count: number;
  examples: FailureExample[];
}

export interface RunDigest {
  /** Requests per operation label and response status. */
  statuses: Map<string, Map<number, number>>;
  failures: Map<string, FailureGroup>;
  /** Engine errors (schema problems, network errors): each distinct one once. */
  errors: Map<string, { role: string; text: string; count: number }>;
  /**
   * Schemathesis's warnings (about the document, or requests it could not make succeed), by title
   * ("Missing test data"): each role's full text.
   */
  warnings: Map<string, Map<string, string>>;
  requests: number;
}

export function emptyDigest(): RunDigest {
  return { statuses: new Map(), failures: new Map(), errors: new Map(), warnings: new Map(), requests: 0 };
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (value: Json | undefined): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);
const field = (value: Json | undefined, key: string): Json | undefined => (isObject(value) ? value[key] : undefined);
const text = (value: Json | undefined): string => (typeof value === 'string' ? value : '');

/** Bodies are recorded as `{"$base64": …}`. */
function bodyText(body: Json | undefined, limit: number): string {
  let raw = '';
  if (typeof body === 'string') raw = body;
  else if (isObject(body) && typeof body.$base64 === 'string') raw = Buffer.from(body.$base64, 'base64').toString('utf8');
  else if (body !== undefined && body !== null) raw = JSON.stringify(body);
  // Control characters (NUL above all) shown as escapes a reader can see; the rest as is.
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  const shown = raw.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return shown.length > limit ? `${shown.slice(0, limit)}… (${shown.length} chars)` : shown;
}

function header(headers: Json | undefined, name: string): string {
  if (!isObject(headers)) return '';
  const entry = Object.entries(headers).find(([key]) => key.toLowerCase() === name);
  const value = entry?.[1];
  return Array.isArray(value) ? text(value[0]) : text(value);
}

const routineHeaders = ['authorization', 'content-type', 'user-agent', 'accept-encoding', 'accept', 'connection', 'content-length'];

function describeRequest(request: Json | undefined): string {
  const headers = field(request, 'headers');
  const body = field(request, 'body');
  const extra = Object.entries(isObject(headers) ? headers : {})
    .filter(([key]) => !routineHeaders.includes(key.toLowerCase()))
    .map(([key, value]) => `${key}: ${bodyText(Array.isArray(value) ? value[0] : value, 200)}`);
  const parts = [`${text(field(request, 'method'))} ${readableUri(text(field(request, 'uri')))}`];
  if (extra.length > 0) parts.push(`headers ${extra.join('; ')}`);
  if (body !== undefined && body !== null) parts.push(`${header(headers, 'content-type') || 'body'} ${bodyText(body, 600)}`);
  return parts.join('\n    ');
}

/** Path and query with percent-escapes decoded (control characters stay visible as \uXXXX). */
function readableUri(uri: string): string {
  let decoded = uri;
  try {
    decoded = decodeURIComponent(uri);
  } catch {
    // not valid UTF-8 once decoded: show it as sent
  }
  return bodyText(decoded.replace(/^https?:\/\/[^/]+/, ''), 400);
}

function describeResponse(response: Json | undefined): string {
  const status = field(response, 'status_code');
  const type = header(field(response, 'headers'), 'content-type');
  return `${typeof status === 'number' ? status : '?'} ${type} ${bodyText(field(response, 'content'), 600)}`;
}

/** Adds one role's NDJSON stream to the digest. */
export function readRun(file: string, role: string, digest: RunDigest, examplesPerGroup = 3): void {
  let content: string;
  try {
    content = readFileSync(file, 'utf8');
  } catch {
    return; // Schemathesis failed before writing it; its log says why.
  }
  for (const line of content.split('\n')) {
    if (!line.trim()) continue;
    const event = JSON.parse(line) as Json;
    if (!isObject(event)) continue;
    const [kind, body] = Object.entries(event)[0] ?? [];
    if (kind === 'ScenarioFinished' || kind === 'FuzzScenarioFinished') readScenario(body, role, digest, examplesPerGroup);
    else if (kind === 'NonFatalError' || kind === 'FatalError') addError(digest, role, kind, body);
  }
}

function addError(digest: RunDigest, role: string, kind: string, body: Json | undefined): void {
  const info = field(body, 'info');
  const label = text(field(body, 'label'));
  const message =
    text(field(info, 'message')) || text(field(info, 'title')) || text(field(field(body, 'exception'), 'message')) || JSON.stringify(body).slice(0, 400);
  const key = `${kind} ${label} ${message.split('\n')[0]}`;
  const known = digest.errors.get(key);
  if (known) known.count += 1;
  else digest.errors.set(key, { role, text: `${kind}${label ? ` ${label}` : ''}: ${message.slice(0, 800)}`, count: 1 });
}

function count(map: Map<number, number>, status: number): void {
  map.set(status, (map.get(status) ?? 0) + 1);
}

function readScenario(body: Json | undefined, role: string, digest: RunDigest, examplesPerGroup: number): void {
  const recorder = field(body, 'recorder');
  const cases = field(recorder, 'cases');
  const interactions = field(recorder, 'interactions');
  const checks = field(recorder, 'checks');
  // A stateful scenario records several operations; each case names its own.
  const labelOf = (caseId: string) => {
    const value = field(field(cases, caseId), 'value');
    return `${text(field(value, 'method'))} ${text(field(value, 'path'))}`.trim() || text(field(recorder, 'label'));
  };
  if (isObject(interactions)) {
    for (const [caseId, interaction] of Object.entries(interactions)) {
      const status = field(field(interaction, 'response'), 'status_code');
      if (typeof status !== 'number') continue;
      digest.requests += 1;
      const label = labelOf(caseId);
      const byStatus = digest.statuses.get(label) ?? new Map<number, number>();
      count(byStatus, status);
      digest.statuses.set(label, byStatus);
    }
  }
  if (!isObject(checks)) return;
  for (const [caseId, results] of Object.entries(checks)) {
    if (!Array.isArray(results)) continue;
    for (const result of results) {
      if (text(field(result, 'status')) !== 'failure') continue;
      const failure = field(field(result, 'failure_info'), 'failure');
      const interaction = field(interactions, caseId);
      const response = field(interaction, 'response');
      const rawStatus = field(response, 'status_code');
      const status = typeof rawStatus === 'number' ? rawStatus : 0;
      const check = text(field(result, 'name'));
      const operation = text(field(failure, 'operation')) || labelOf(caseId);
      const message = normalise(text(field(failure, 'message'))) || text(field(failure, 'title'));
      const key = check === 'not_a_server_error' ? [check, operation, status].join(' ') : [check, message].join(' ');
      const group: FailureGroup = digest.failures.get(key) ?? { check, code: text(field(failure, 'code')), message, hits: new Map(), count: 0, examples: [] };
      group.count += 1;
      const byStatus = group.hits.get(operation) ?? new Map<number, number>();
      count(byStatus, status);
      group.hits.set(operation, byStatus);
      // Examples from different operations where there are several: they show the reach.
      const request = describeRequest(field(interaction, 'request'));
      const seen = group.examples.some((e) => e.request === request || (e.operation === operation && group.hits.size > 1));
      if (group.examples.length < examplesPerGroup && !seen) {
        const requestId = header(field(response, 'headers'), 'x-request-id');
        group.examples.push({ role, operation, request, response: describeResponse(response), requestId });
      }
      digest.failures.set(key, group);
    }
  }
}

/**
 * The message's first two lines, with the values that differ from one request to the next (case
 * ids, long quoted values) left out, so a thousand cases of one bug are one group.
 */
function normalise(message: string): string {
  return message
    .split('\n')
    .filter((line) => line.trim() !== '')
    .slice(0, 2)
    .join(' / ')
    .replace(/\d{8}-[0-9a-f]{10}/g, '<case-id>')
    .replace(/'[^']{40,}'/g, "'…'")
    .slice(0, 300);
}

const checkOrder = ['not_a_server_error', 'status_code_conformance', 'content_type_conformance', 'response_schema_conformance'];

function rank(check: string): number {
  const i = checkOrder.indexOf(check);
  return i === -1 ? checkOrder.length : i;
}

export function sortedGroups(digest: RunDigest): FailureGroup[] {
  return [...digest.failures.values()].sort((a, b) => rank(a.check) - rank(b.check) || b.count - a.count);
}

export function formatCounts(byStatus: Map<number, number>): string {
  return [...byStatus.entries()]
    .sort(([a], [b]) => a - b)
    .map(([status, n]) => `${status}×${n}`)
    .join(' ');
}

/** All statuses of a group, summed over its operations. */
function groupStatuses(group: FailureGroup): Map<number, number> {
  const total = new Map<number, number>();
  for (const byStatus of group.hits.values()) for (const [status, n] of byStatus) total.set(status, (total.get(status) ?? 0) + n);
  return total;
}

/**
 * What the service logged for the server errors' example requests: its pretty log has one block
 * per error, `[time] ERROR: …` with `reqId: "…"`, the error's `"message": "…"` and a stack whose
 * first frame outside node_modules says where.
 */
export function attachCauses(digest: RunDigest, serviceLog: string): void {
  const causes = new Map<string, string>();
  for (const block of serviceLog.split(/\n(?=\[\d{2}:\d{2}:\d{2}\.\d{3}\] )/)) {
    const requestId = /reqId: "([^"]+)"/.exec(block)?.[1];
    const message = /"message": "((?:[^"\\]|\\.)*)"/.exec(block)?.[1];
    if (!requestId || !message) continue;
    const where = block
      .split('\n')
      .map((line) => /^\s+at .*\((\/[^)]+)\)$/.exec(line)?.[1])
      .find((file) => file !== undefined && !file.includes('/node_modules/'));
    causes.set(requestId, `${message}${where ? ` at ${where}` : ''}`);
  }
  for (const group of digest.failures.values()) {
    for (const example of group.examples) {
      const cause = causes.get(example.requestId);
      if (cause) example.cause = cause;
    }
  }
}

/** One line per group, for the console. */
export function summaryLine(group: FailureGroup): string {
  const operations = [...group.hits.keys()];
  const where = operations.length === 1 ? operations[0] : `${operations.length} operations`;
  const head = `${group.check}: ${where} → ${formatCounts(groupStatuses(group))}`;
  const example = group.examples[0];
  if (group.check === 'not_a_server_error' && example) {
    return `${head}: ${example.request.split('\n')[0]?.slice(0, 200)}${example.cause ? ` → logged: ${example.cause}` : ''}`;
  }
  return `${head}: ${group.message}`;
}

/**
 * The digest as Markdown for .data/fuzz/failures.md, most harmful checks first. `documented` are
 * the document's operation labels: requests outside them (Schemathesis probing methods a path does
 * not have) are summed into one line.
 */
export function formatDigest(digest: RunDigest, documented: ReadonlySet<string>): string {
  const groups = sortedGroups(digest);
  const lines = [`# Fuzz failures: ${groups.length} distinct, ${groups.reduce((n, g) => n + g.count, 0)} failing checks in ${digest.requests} requests`, ''];
  let check = '';
  for (const group of groups) {
    if (group.check !== check) {
      check = group.check;
      lines.push(`## ${check} (${group.code})`, '');
    }
    lines.push(`### ${group.message || group.check} (${group.count}×)`, '');
    for (const [operation, byStatus] of [...group.hits.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      lines.push(`- ${operation}: ${formatCounts(byStatus)}`);
    }
    lines.push('', 'For example:', '');
    for (const example of group.examples) {
      lines.push('```', `# as ${example.role}, x-request-id ${example.requestId || '?'}`, example.request, `→ ${example.response}`);
      if (example.cause) lines.push(`# the service logged: ${example.cause}`);
      lines.push('```');
    }
    lines.push('');
  }
  if (digest.errors.size > 0) {
    lines.push('## Schemathesis errors (the document or the connection, not a check)', '');
    for (const error of digest.errors.values()) lines.push(`- as ${error.role} (${error.count}×): ${error.text}`);
    lines.push('');
  }
  if (digest.warnings.size > 0) {
    lines.push('## Schemathesis warnings (they do not fail the stage)', '');
    for (const [title, byRole] of digest.warnings) {
      lines.push(`### ${title}`, '');
      for (const [role, warning] of byRole) lines.push(`As ${role}:`, '```', warning, '```');
    }
    lines.push('');
  }
  lines.push('## Responses per operation', '');
  const undocumented = new Map<number, number>();
  for (const [label, byStatus] of [...digest.statuses.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    if (!documented.has(label)) {
      for (const [status, n] of byStatus) undocumented.set(status, (undocumented.get(status) ?? 0) + n);
      continue;
    }
    lines.push(`- ${label}: ${formatCounts(byStatus)}`);
  }
  if (undocumented.size > 0) lines.push(`- (methods a path does not have, probed): ${formatCounts(undocumented)}`);
  return lines.join('\n') + '\n';
}

/**
 * The WARNINGS section of a Schemathesis log (it is not in the NDJSON report): each warning is a
 * paragraph that starts with its title line, e.g. "Unsupported regex patterns: 4 operations …".
 */
export function readWarnings(logFile: string, role: string, digest: RunDigest): void {
  let content: string;
  try {
    content = readFileSync(logFile, 'utf8');
  } catch {
    return;
  }
  const section = /={3,} WARNINGS ={3,}\n([\s\S]*?)\n={3,} SUMMARY ={3,}/.exec(content)?.[1];
  if (!section) return;
  for (const paragraph of section.split(/\n(?=\S)/)) {
    const warning = paragraph.trim();
    // Hints ("💡 …") belong to the warning before them; "403 Forbidden (n operations)" lists them.
    if (!warning || warning.startsWith('💡') || /^\d{3} /.test(warning)) continue;
    const title = warning.split(':')[0] ?? warning;
    const byRole = digest.warnings.get(title) ?? new Map<string, string>();
    byRole.set(role, warning);
    digest.warnings.set(title, byRole);
  }
}

/** Answers of one operation with this status (or any 2xx), e.g. how many cases intake made. */
export function successes(digest: RunDigest, label: string, status?: number): number {
  const byStatus = digest.statuses.get(label);
  if (!byStatus) return 0;
  return [...byStatus.entries()].filter(([s]) => (status === undefined ? s >= 200 && s < 300 : s === status)).reduce((n, [, c]) => n + c, 0);
}
