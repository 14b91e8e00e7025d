// CodeMirror 6 set up for a student driver: JavaScript, completion of the kernel API after `k.`
// and of the card's register names anywhere, and the oops line highlighted.
import {
  autocompletion,
  type CompletionContext,
  type CompletionResult,
} from '@codemirror/autocomplete';
import { javascript } from '@codemirror/lang-javascript';
import { EditorState, StateEffect, StateField, type Extension } from '@codemirror/state';
import { Decoration, EditorView, type DecorationSet } from '@codemirror/view';
import { basicSetup } from 'codemirror';

export interface Completable {
  label: string;
  /** `function` for the kernel API, `constant` for registers and bits. */
  type: 'function' | 'constant' | 'method';
  detail: string;
  info: string;
}

/** Completions after `k.` (the kernel API) and for bare words (registers, ops). */
export function completionSource(
  api: readonly Completable[],
  words: readonly Completable[],
): (ctx: CompletionContext) => CompletionResult | null {
  return (ctx) => {
    const member = ctx.matchBefore(/\bk\.\w*/);
    if (member) {
      return { from: member.from + 2, options: api.map((c) => ({ ...c })), validFor: /^\w*$/ };
    }
    const word = ctx.matchBefore(/\w+/);
    if (!word || (word.from === word.to && !ctx.explicit)) return null;
    return { from: word.from, options: words.map((c) => ({ ...c })), validFor: /^\w*$/ };
  };
}

/** Sets the highlighted line (1-based), or clears it with null. */
export const setOopsLine = StateEffect.define<number | null>();

const oopsLineMark = Decoration.line({ class: 'cm-oops-line', attributes: { 'data-oops': '' } });

const oopsLineField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(deco, tr) {
    let out = deco.map(tr.changes);
    for (const e of tr.effects) {
      if (!e.is(setOopsLine)) continue;
      const n = e.value;
      if (n === null || n < 1 || n > tr.state.doc.lines) out = Decoration.none;
      else out = Decoration.set([oopsLineMark.range(tr.state.doc.line(n).from)]);
    }
    return out;
  },
  provide: (f) => EditorView.decorations.from(f),
});

export function driverEditorExtensions(
  source: (ctx: CompletionContext) => CompletionResult | null,
  onChange: (text: string) => void,
): Extension[] {
  return [
    basicSetup,
    javascript(),
    autocompletion({ override: [source] }),
    oopsLineField,
    EditorView.updateListener.of((u) => {
      if (u.docChanged) onChange(u.state.doc.toString());
    }),
    EditorView.contentAttributes.of({ 'aria-label': 'Driver source' }),
  ];
}

export function newEditorState(text: string, extensions: Extension[]): EditorState {
  return EditorState.create({ doc: text, extensions });
}
