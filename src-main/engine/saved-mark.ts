// Whether the lab has changes its file does not: what Save would write (the lab file's form of
// the spec) compared with what was last loaded or written. Only the file's form counts, so the
// mark is honest both ways: adding a host and removing it again leaves nothing unsaved, and what
// Save does not write (an interface downed from the shell, a group joined, frames captured, the
// clock) never marks the lab unsaved, since saving would not keep it either.
import { toLabData } from '../lab/labfile/save';
import type { LabSpec } from '../lab/labfile/schema';

export class SavedMark {
  /** The file's form of the spec as last loaded or written. */
  private saved: string;
  /** The last spec asked about and its form (a spec is replaced on each edit, never changed). */
  private lastSpec: LabSpec | null = null;
  private lastForm = '';
  /** The text last handed out to be saved, until the host says it was written. */
  private issued: { revision: number; form: string } | null = null;
  private nextRevision = 1;

  constructor(spec: LabSpec) {
    this.saved = this.formOf(spec);
  }

  unsaved(spec: LabSpec): boolean {
    return this.formOf(spec) !== this.saved;
  }

  /**
   * `spec` is handed out as a file's text. Returns its revision, for `written` once the host
   * has written it: a save the user cancels, or one that fails, leaves the mark as it was.
   */
  issue(spec: LabSpec): number {
    const revision = this.nextRevision++;
    this.issued = { revision, form: this.formOf(spec) };
    return revision;
  }

  /**
   * The text of `revision` is the file now. An older revision (the lab was saved again since)
   * changes nothing and answers false.
   */
  written(revision: number): boolean {
    if (this.issued?.revision !== revision) return false;
    this.saved = this.issued.form;
    this.issued = null;
    return true;
  }

  private formOf(spec: LabSpec): string {
    if (spec !== this.lastSpec) {
      this.lastForm = JSON.stringify(toLabData(spec));
      this.lastSpec = spec;
    }
    return this.lastForm;
  }
}
