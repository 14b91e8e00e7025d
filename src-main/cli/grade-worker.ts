// A worker thread of `netlab grade`'s pool (see gradeCommand): grades the attempts it is
// posted, one at a time, each on a fresh engine, and answers with the line the command prints.
import { gradeLine, type GradeLine } from './grade-attempt';
import { servePool } from './worker-pool';

servePool<string, GradeLine>(gradeLine);
