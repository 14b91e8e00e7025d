// A student's attempt at a lab's exercise: the lab as it was loaded, their answers, the help
// they took, and a journal of everything they did that changed the lab, each with the simulated
// time and event count it happened at. The lab is deterministic, so replaying the journal on
// the loaded lab (`netlab grade`) rebuilds the state the student handed in, and its checks give
// the same verdicts the window showed.
import type { LabSpec } from '../lab/labfile/schema';
import type { EngineOpName } from './engine-ops';
import type { Answers } from '../lab/exercise';

/** One thing the student did: an engine operation, or a shell line (op `shell`). */
export interface JournalEntry {
  /** Simulated time (ns) when it happened. */
  at: number;
  /** Scheduler events dispatched by then: `at` alone cannot say which of a nanosecond's events had run. */
  events: number;
  op: string;
  host?: string;
  line?: string;
  args?: Record<string, unknown>;
}

export class Attempt {
  answers: Answers = {};
  /** Whether `exercise.run` has run (predictions are locked from then on). */
  ran = false;
  /** Predictions given after the lab's clock had moved: graded as answered after the run. */
  late = new Set<string>();
  hintsShown = 0;
  solutionShown = false;
  journal: JournalEntry[] = [];

  constructor(
    /** The lab as loaded: what Reset brings back and what an attempt file holds. */
    readonly base: LabSpec,
    readonly fileName: string,
    /**
     * The drivers its register-level cards were built with (by the key the lab's reader looks
     * them up by): the student's starter, or their driver as reloaded before the last Reset.
     * The attempt file carries them, so `netlab grade` builds the same lab.
     */
    public drivers: Record<string, string> = {},
  ) {}

  record(at: number, events: number, op: EngineOpName, args: Record<string, unknown>): void {
    if (op === 'shell.exec') {
      this.journal.push({
        at,
        events,
        op: 'shell',
        host: String(args.host),
        line: String(args.line),
      });
    } else {
      const kept = Object.fromEntries(Object.entries(args).filter(([, v]) => v !== undefined));
      this.journal.push({ at, events, op, ...(Object.keys(kept).length ? { args: kept } : {}) });
    }
  }

  /** Reset: the lab as loaded again, with no answers and nothing done (the help taken stays). */
  restart(): void {
    this.answers = {};
    this.late.clear();
    this.ran = false;
    this.journal = [];
  }
}
