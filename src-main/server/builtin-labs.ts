// The labs shipped with the app (resources/labs/*.yaml), offered by id so a UI can load one
// without ever naming a path.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseLabSpec } from '../lab/labfile/load';

export interface BuiltinLab {
  id: string;
  name: string;
  description: string;
  /** What the start screen and the exercise list show of its exercise (null: a plain lab). */
  exercise: { title: string; summary: string; level: string; kind: string; order: number } | null;
}

const ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

export class BuiltinLabs {
  constructor(private readonly dir: string) {}

  /** Where built-in lab `fileName` lies: its exercise's starter drivers are beside it. */
  pathOf(fileName: string): string {
    return join(this.dir, fileName);
  }

  /** The reference drivers' folder, beside the labs' (resources/drivers). */
  get driversDir(): string {
    return join(this.dir, '..', 'drivers');
  }

  list(): BuiltinLab[] {
    let files: string[];
    try {
      files = readdirSync(this.dir)
        .filter((f) => f.endsWith('.yaml'))
        .sort();
    } catch {
      return [];
    }
    return files.flatMap((file) => {
      const id = file.slice(0, -'.yaml'.length);
      if (!ID.test(id)) return [];
      const r = parseLabSpec(readFileSync(join(this.dir, file), 'utf8'), file);
      if (!r.spec) return [];
      const e = r.spec.exercise;
      const exercise = e
        ? {
            title: e.title,
            summary: e.summary ?? r.spec.description ?? '',
            level: e.level ?? '',
            kind: e.kind ?? '',
            order: e.order ?? Number.MAX_SAFE_INTEGER,
          }
        : null;
      return [{ id, name: r.spec.name ?? id, description: r.spec.description ?? '', exercise }];
    });
  }

  /** The lab's text and file name, or null when there is no built-in lab by that id. */
  read(id: string): { text: string; fileName: string } | null {
    if (!ID.test(id)) return null;
    const fileName = `${id}.yaml`;
    try {
      return { text: readFileSync(join(this.dir, fileName), 'utf8'), fileName };
    } catch {
      return null;
    }
  }
}
