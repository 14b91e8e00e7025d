import { describe, expect, it } from 'vitest';
import { formatSpecErrors } from '../labfile/errors';
import { parseLabSpec } from '../labfile/load';
import { buildLab } from '../labfile/build';
import { saveLabSpec } from '../labfile/save';
import type { QuestionSpec } from '../labfile/schema';
import { LabSession } from '../labfile/session';
import { parseAnswer, type Answers } from './answers';
import { evaluateChecks, resolvePath, show } from './checks';

const LAB = `hosts:
  - name: h0
    interfaces: [{ name: eth0, nic: hash64, ip: 10.0.0.1/24 }]
exercise:
  title: t
  instructions: i
  checks:
`;

describe('exercise checks in a lab file', () => {
  it('need exactly one operator, and a path or a host and command', () => {
    const r = parseLabSpec(
      LAB +
        '    - { title: a, path: hosts.h0.fates.delivered, gt: 0, lt: 5 }\n' +
        '    - { title: b, host: h0, equals: 1 }\n' +
        '    - { title: c, path: x, gt: "many" }\n',
      'lab.yaml',
    );
    expect(formatSpecErrors(r.errors!)).toBe(
      [
        'lab.yaml:8:7: exercise.checks[0]: expected exactly one of equals, notEquals, gt, gte, lt, lte, contains, notContains, got gt and lt',
        'lab.yaml:9:7: exercise.checks[1]: expected either path, or host and command, or answer',
        'lab.yaml:10:32: exercise.checks[2].gt: expected a number, got "many"',
      ].join('\n'),
    );
  });

  it('accept a well-formed exercise', () => {
    const r = parseLabSpec(
      LAB + '    - { title: a, path: "sinks[0].received", gte: 1 }\n',
      'lab.yaml',
    );
    expect(r.errors).toBeUndefined();
    expect(r.spec!.exercise!.checks[0]).toEqual({ title: 'a', path: 'sinks[0].received', gte: 1 });
  });
});

describe('resolvePath', () => {
  const report = {
    hosts: { h1: { devices: { eth0: { flags: ['UP'] } }, sockets: [{ id: 3 }] } },
    sinks: [{ name: 'h1:239.1.1.1:5000', received: 7 }],
  };
  it('follows keys, indexes, and names in lists', () => {
    expect(resolvePath(report, 'hosts.h1.devices.eth0.flags')).toEqual(['UP']);
    expect(resolvePath(report, 'hosts.h1.sockets[0].id')).toBe(3);
    expect(resolvePath(report, 'sinks["h1:239.1.1.1:5000"].received')).toBe(7);
    expect(resolvePath(report, 'hosts.h9.devices')).toBeUndefined();
    expect(resolvePath(report, 'hosts.h1.constructor')).toBeUndefined();
  });
});

const QLAB = `name: q
hosts:
  - name: h0
    interfaces: [{ name: eth0, nic: hash64, ip: 10.0.0.1/24 }]
  - name: h1
    interfaces: [{ name: eth0, nic: hash64, ip: 10.0.0.2/24 }]
    join: [{ group: 239.1.1.1, port: 5000 }]
generators:
  - { name: g, from: h0, to: '239.1.1.1:5000', rate: 1000pps, stop: 10ms }
exercise:
  title: t
  instructions: i
  questions:
    - { id: who, prompt: 'Which host receives?', type: choice, choices: [h0, h1], answer: h1 }
    - { id: count, prompt: 'How many arrive?', type: number, predict: true, measure: 'sinks[0].received', tolerance: 1, unit: datagrams }
    - { id: word, prompt: 'Name the op', type: text, answer: set_multicast_list }
  hints: [one, two]
  solution: { answers: { who: h1, count: 10, word: SET_MULTICAST_LIST } }
  run: 20ms
  checks:
    - { title: who, answer: who }
    - { title: count, answer: count }
    - { title: word, answer: word }
    - { title: cpu, path: hosts.h1.cpu.busyNs, gte: 0, unit: ns }
`;

describe('questions and answer checks', () => {
  it('load, with the solution as steps and answers, and save back to an equal spec', () => {
    const r = parseLabSpec(QLAB, 'q.yaml');
    expect(r.errors).toBeUndefined();
    const e = r.spec!.exercise!;
    expect(e.questions!.map((q) => q.id)).toEqual(['who', 'count', 'word']);
    expect(e.solution).toEqual({ answers: { who: 'h1', count: 10, word: 'SET_MULTICAST_LIST' } });
    expect(e.checks[0]).toEqual({ title: 'who', answer: 'who' });
    const again = parseLabSpec(saveLabSpec(r.spec!, 'yaml'), 'q.yaml');
    expect(again.spec).toEqual(r.spec);
  });

  it('still load the older solution form, a list of steps', () => {
    const r = parseLabSpec(
      LAB.replace(
        'checks:\n',
        'solution: [{ host: h0, run: "ifconfig" }]\n  checks:\n    - { title: a, path: x, gt: 0 }\n',
      ),
      'o.yaml',
    );
    expect(r.errors).toBeUndefined();
    expect(r.spec!.exercise!.solution).toEqual({ steps: [{ host: 'h0', run: 'ifconfig' }] });
  });

  it('are refused with errors naming the question', () => {
    const r = parseLabSpec(
      LAB.replace(
        'checks:\n',
        [
          'questions:',
          '    - { id: a, prompt: p, type: choice, choices: [x, y], answer: z }',
          '    - { id: a, prompt: p, type: number, answer: 1, measure: x }',
          '    - { id: B, prompt: p, type: text }',
          '  solution: { answers: { nope: 1 } }',
          '  checks:',
          '    - { title: t, answer: c }',
          '    - { title: u, answer: a, gt: 1 }',
          '',
        ].join('\n'),
      ),
      'bad.yaml',
    );
    expect(formatSpecErrors(r.errors!).split('\n')).toEqual([
      'bad.yaml:8:66: exercise.questions[0].answer: expected one of the choices (x, y), got "z"',
      'bad.yaml:9:7: exercise.questions[1]: expected exactly one of answer (the right answer) or measure (a report path)',
      'bad.yaml:10:13: exercise.questions[2].id: expected a question id such as bin (lower-case letters, digits, "-"), got "B"',
      'bad.yaml:14:7: exercise.checks[1]: an answer check takes only title and answer, got gt',
    ]);
    // References to questions are checked once the questions themselves are well formed.
    const refs = parseLabSpec(
      LAB.replace(
        'checks:\n',
        [
          'questions:',
          '    - { id: a, prompt: p, type: number, answer: 1 }',
          '  solution: { answers: { nope: 1, a: "one" } }',
          '  checks:',
          '    - { title: t, answer: c }',
          '',
        ].join('\n'),
      ),
      'refs.yaml',
    );
    expect(formatSpecErrors(refs.errors!).split('\n')).toEqual([
      'refs.yaml:9:32: exercise.solution.answers.nope: no question "nope" (the questions are a)',
      'refs.yaml:9:38: exercise.solution.answers.a: expected a number, got "one"',
      'refs.yaml:11:27: exercise.checks[0].answer: no question "c"; did you mean "a"? (the questions are a)',
    ]);
  });
});

describe('evaluateChecks with answers', () => {
  const run = (answers: Answers, late: string[] = []) => {
    const spec = parseLabSpec(QLAB, 'q.yaml').spec!;
    const session = new LabSession(buildLab(spec));
    try {
      session.run(spec.exercise!.run!);
      return evaluateChecks(session, spec.exercise!, answers, { predictionsLate: late });
    } finally {
      session.close();
    }
  };

  it('fails every question left unanswered', () => {
    const r = run({});
    expect(r.slice(0, 3).map((c) => [c.pass, c.actual])).toEqual([
      [false, '(no answer)'],
      [false, '(no answer)'],
      [false, '(no answer)'],
    ]);
    expect(r[1].expected).toBe('the measured 10 datagrams ± 1 datagrams');
    expect(r[3]).toMatchObject({ pass: true });
    expect(r[3].actual).toMatch(/^[\d.]+ (ns|µs|ms)$/);
  });

  it('grades choices and text by value, and a prediction within its tolerance of the measure', () => {
    const r = run({ who: 'h1', count: 11, word: ' Set_Multicast_List ' });
    expect(r.map((c) => c.pass)).toEqual([true, true, true, true]);
    expect(r[1].actual).toBe('11 datagrams');
    expect(run({ who: 'h0', count: 12, word: 'open' }).map((c) => c.pass)).toEqual([
      false,
      false,
      false,
      true,
    ]);
  });

  it('fails a prediction given only after the run', () => {
    const r = run({ who: 'h1', count: 10, word: 'x' }, ['count']);
    expect(r[1]).toMatchObject({ pass: false, actual: '10 datagrams, answered after the run' });
  });
});

describe('parseAnswer and show', () => {
  const q = (type: 'number' | 'choice' | 'text', choices?: string[]): QuestionSpec => ({
    id: 'a',
    prompt: 'p',
    type,
    choices,
    answer: type === 'number' ? 1 : 'x',
  });
  it('reads what a student types', () => {
    expect(parseAnswer(q('number'), ' 212,992 ')).toEqual({ value: 212992 });
    expect(parseAnswer(q('number'), 'many')).toEqual({ error: '"many" is not a number' });
    expect(parseAnswer(q('choice', ['h1', 'h2']), 'H2')).toEqual({ value: 'h2' });
    expect(parseAnswer(q('choice', ['h1', 'h2']), 'h3')).toEqual({
      error: '"h3" is not one of h1, h2',
    });
    expect(parseAnswer(q('text'), '  ')).toEqual({ error: 'the answer is empty' });
  });
  it('shows values with their units', () => {
    expect(show(20_000_000, 'ns')).toBe('20 ms');
    expect(show(1500, 'ns')).toBe('1.5 µs');
    expect(show(212992, 'bytes')).toBe('212,992 bytes');
    expect(show(7)).toBe('7');
  });
});
