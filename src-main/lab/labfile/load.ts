import {
  Composer,
  isAlias,
  isMap,
  isNode,
  isPair,
  isScalar,
  isSeq,
  Lexer,
  LineCounter,
  Parser,
  parseDocument,
  YAMLParseError,
  type CST,
  type Document,
  type Pair,
  type Scalar,
} from 'yaml';
import { formatPath, type PathSegment, type SpecError } from './errors';
import { checkJsonSyntax } from './json-syntax';
import { validateSpecData, type LabSpec, type SpecIssue } from './schema';
import { positionAt, SourcePositions, type Position } from './source';

/**
 * Reading a lab file: YAML or JSON text in, a `LabSpec` or a list of errors
 * out, each with its file, line, column, field path and what was expected.
 * It never throws on bad input, and its work is bounded: files over
 * `MAX_LAB_FILE_CHARS` are refused, YAML alias expansion is limited by
 * `MAX_ALIAS_COUNT` (a "billion laughs" file is an error, not an
 * out-of-memory), nesting is capped at `MAX_DEPTH` before anything recursive
 * sees the input, and at most `MAX_ERRORS` errors are reported. The worst
 * file under the size limit takes about a second.
 */

/** 256 KiB: a lab with long exercise instructions is a few tens of KiB. */
export const MAX_LAB_FILE_CHARS = 256 * 1024;
export const MAX_DEPTH = 64;
/** yaml's `maxAliasCount` (its default): uses of an anchor, times the aliases inside it. */
export const MAX_ALIAS_COUNT = 100;
export const MAX_ERRORS = 50;
const MAX_SYNTAX_ERRORS = 10;

export type LabSpecResult =
  { spec: LabSpec; errors?: undefined } | { spec?: undefined; errors: SpecError[] };

const EMPTY = 'the file is empty: expected a lab such as { name: ..., hosts: [...] }';

/** JSON by name (`.json`), YAML by name (`.yaml`, `.yml`), else JSON if it starts like JSON. */
function isJson(fileName: string, text: string): boolean {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.json')) return true;
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) return false;
  return /^\s*[{[]/.test(text);
}

function fileError(
  file: string,
  pos: Position | null,
  message: string,
  segments: PathSegment[] = [],
): SpecError {
  return {
    file,
    line: pos?.line ?? 0,
    column: pos?.column ?? 0,
    path: formatPath(segments),
    segments,
    message,
  };
}

/** Parses and validates a lab file's text; `fileName` is for messages and for telling JSON from YAML. */
export function parseLabSpec(text: string, fileName: string): LabSpecResult {
  try {
    return parse(text, fileName);
  } catch (e) {
    // A bug or an engine limit (out of stack) in a library: still an answer, not a throw.
    const why = e instanceof Error ? e.message : String(e);
    return { errors: [fileError(fileName, null, `could not read the file: ${why}`)] };
  }
}

function parse(text: string, file: string): LabSpecResult {
  if (typeof text !== 'string')
    return { errors: [fileError(file, null, 'expected the text of a lab file')] };
  if (text.length > MAX_LAB_FILE_CHARS) {
    const kib = (n: number) => `${Math.ceil(n / 1024)} KiB`;
    return {
      errors: [
        fileError(
          file,
          null,
          `the file is ${kib(text.length)}; a lab file may be at most ${kib(MAX_LAB_FILE_CHARS)}`,
        ),
      ],
    };
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') return { errors: [fileError(file, null, EMPTY)] };
  return isJson(file, text) ? parseJson(text, file) : parseYaml(text, file);
}

function parseJson(text: string, file: string): LabSpecResult {
  const syntax = checkJsonSyntax(text, MAX_DEPTH);
  if (syntax) return { errors: [fileError(file, positionAt(text, syntax.offset), syntax.message)] };
  const data: unknown = JSON.parse(text);
  // Positions come from the same text read as YAML (JSON is YAML 1.2); should that
  // fail on some corner of JSON, errors still name their field, at line 1.
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false });
  return validate(data, file, new SourcePositions(doc.errors.length === 0 ? doc : null, lines));
}

function parseYaml(text: string, file: string): LabSpecResult {
  const tooDeep = (offset: number): LabSpecResult => ({
    errors: [
      fileError(file, positionAt(text, offset), `nested more than ${MAX_DEPTH} levels deep`),
    ],
  });
  // Depth is checked before the document is composed: yaml composes recursively, and
  // running out of stack there (which it reports as an error) can leave the engine's
  // regular expressions broken for the rest of the process.
  const flowAt = flowTooDeep(text);
  if (flowAt !== null) return tooDeep(flowAt);
  const lines = new LineCounter();
  const tokens = Array.from(new Parser(lines.addNewLine).parse(text));
  const blockAt = cstTooDeep(tokens);
  if (blockAt !== null) return tooDeep(blockAt);
  const doc = composeOne(tokens, text.length);
  if (doc.errors.length > 0) {
    const errors = doc.errors.slice(0, MAX_SYNTAX_ERRORS).map((e) => {
      const { line, col } = lines.linePos(e.pos[0]);
      return fileError(file, { line, column: col }, yamlMessage(e.code, e.message, text, e.pos[0]));
    });
    return { errors };
  }
  if (doc.contents === null) return { errors: [fileError(file, null, EMPTY)] };
  const refError = aliasOrMergeError(doc);
  if (refError !== null) {
    return { errors: [fileError(file, positionAt(text, refError.offset), refError.message)] };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    if (e instanceof ReferenceError && /excessive alias count/i.test(e.message)) {
      return {
        errors: [
          fileError(
            file,
            null,
            `too many alias expansions (limit ${MAX_ALIAS_COUNT}, counting aliases within aliases): refused as a resource-exhaustion attack`,
          ),
        ],
      };
    }
    throw e;
  }
  return validate(data, file, new SourcePositions(doc, lines));
}

/**
 * The first alias that names no anchor set before it, or merge key (`<<`)
 * given something other than a map or a list of maps: yaml throws on those
 * while converting, with no position. One walk in document order (anchors
 * apply to what follows them), without recursion.
 */
function aliasOrMergeError(doc: Document.Parsed): { offset: number; message: string } | null {
  const anchors = new Map<string, unknown>();
  const resolved = (v: unknown): unknown => (isAlias(v) ? anchors.get(v.source) : v);
  // Nodes to visit, pairs, and merges to check once their value has been walked.
  const stack: unknown[] = [doc.contents];
  const merges = new Set<Pair>();
  while (stack.length > 0) {
    const node = stack.pop();
    if (merges.has(node as Pair)) {
      const pair = node as Pair;
      merges.delete(pair);
      const v = resolved(pair.value);
      const ok = isSeq(v) ? v.items.every((i) => isMap(resolved(i))) : isMap(v);
      if (!ok)
        return {
          offset: (pair.key as Scalar).range?.[0] ?? 0,
          message: 'a merge key (<<) takes a map, an alias of a map, or a list of those',
        };
      continue;
    }
    if (isPair(node)) {
      const key = node.key;
      if (isScalar(key) && typeof key.value === 'symbol' && key.value.description === '<<') {
        merges.add(node);
        stack.push(node);
      }
      stack.push(node.value, node.key);
      continue;
    }
    if (isAlias(node)) {
      if (!anchors.has(node.source))
        return {
          offset: node.range?.[0] ?? 0,
          message: `the alias *${node.source} names no anchor (&${node.source}) set before it`,
        };
      continue;
    }
    if (isNode(node) && node.anchor) anchors.set(node.anchor, node);
    if (isMap(node) || isSeq(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) stack.push(node.items[i]);
    }
  }
  return null;
}

/** What `parseDocument` does with a token stream: the first document, and an error for any other. */
function composeOne(tokens: CST.Token[], length: number): Document.Parsed {
  const composer = new Composer({
    prettyErrors: false,
    uniqueKeys: true,
    merge: true,
    // A map or list as a key becomes its text (an unknown key, reported with its place), and
    // yaml's warning about it would go to the console of whatever runs the lab.
    logLevel: 'error',
  });
  let doc: Document.Parsed | null = null;
  for (const next of composer.compose(tokens, true, length)) {
    if (!doc) doc = next;
    else {
      const [start, end] = next.range;
      doc.errors.push(
        new YAMLParseError(
          [start, end],
          'MULTIPLE_DOCS',
          "the file holds more than one YAML document (a second '---'); a lab file is one",
        ),
      );
      break;
    }
  }
  return doc!;
}

/** yaml's message, in lower case like ours, with the key named for a duplicate. */
function yamlMessage(code: string, message: string, text: string, offset: number): string {
  if (/call stack/i.test(message)) return `nested too deeply to read`;
  if (code === 'DUPLICATE_KEY') {
    const m = /^("[^"\n]*"|'[^'\n]*'|[^:\n]+?)\s*:/.exec(text.slice(offset, offset + 200));
    if (m)
      return `duplicate key ${m[1].startsWith('"') || m[1].startsWith("'") ? m[1] : `"${m[1]}"`}`;
  }
  return message.charAt(0).toLowerCase() + message.slice(1);
}

/** yaml's lexer tokens that stand for no source text (document start, flow end, scalar). */
const MARKERS = new Set(['\x02', '\x18', '\x1f']);

/**
 * Where brackets first nest deeper than MAX_DEPTH, or null. yaml's lexer is
 * quick and flat, while its parser takes seconds on such input: this runs first.
 */
function flowTooDeep(text: string): number | null {
  let depth = 0;
  let offset = 0;
  for (const token of new Lexer().lex(text)) {
    if (token === '[' || token === '{') {
      if (++depth > MAX_DEPTH) return offset;
    } else if (token === ']' || token === '}') depth--;
    if (!MARKERS.has(token)) offset += token.length;
  }
  return null;
}

/** Where the syntax tree first nests deeper than MAX_DEPTH, walking it without recursion; null if nowhere. */
function cstTooDeep(tokens: CST.Token[]): number | null {
  const stack: [CST.Token | undefined, number][] = tokens.map((t) => [t, 0]);
  while (stack.length > 0) {
    const [token, depth] = stack.pop()!;
    if (!token) continue;
    if (depth > MAX_DEPTH) return token.offset;
    if (token.type === 'document') stack.push([token.value, depth]);
    else if (
      token.type === 'block-map' ||
      token.type === 'block-seq' ||
      token.type === 'flow-collection'
    ) {
      for (const item of token.items)
        stack.push([item.key ?? undefined, depth + 1], [item.value, depth + 1]);
    }
  }
  return null;
}

function validate(data: unknown, file: string, positions: SourcePositions | null): LabSpecResult {
  if (data === null || data === undefined) return { errors: [fileError(file, null, EMPTY)] };
  const r = validateSpecData(data);
  if ('spec' in r) return { spec: r.spec };
  return { errors: placeIssues(r.issues, file, positions) };
}

/** Issues → errors with positions, in file order, at most MAX_ERRORS (and a note of the rest). */
function placeIssues(
  issues: SpecIssue[],
  file: string,
  positions: SourcePositions | null,
): SpecError[] {
  const errors = issues.map((iss) =>
    fileError(
      file,
      positions ? positions.locate(iss.segments, iss.at) : null,
      iss.message,
      iss.segments,
    ),
  );
  if (positions) errors.sort((a, b) => a.line - b.line || a.column - b.column);
  if (errors.length <= MAX_ERRORS) return errors;
  const shown = errors.slice(0, MAX_ERRORS);
  shown.push(fileError(file, null, `${errors.length - MAX_ERRORS} more errors not shown`));
  return shown;
}

/**
 * Validates data that did not come from a text (an object sent by a UI or
 * over IPC, in the file's form: see `toLabData`). Errors carry their paths,
 * with line and column 0.
 */
export function validateLabData(data: unknown, file = 'lab'): LabSpecResult {
  try {
    return validate(data, file, null);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return { errors: [fileError(file, null, `could not validate the lab: ${why}`)] };
  }
}
