// Exercises: the checks of a lab file's `exercise`, the student's answers to its questions, and
// the solution steps that solve it. The file format lives in ../labfile/schema.ts.
export { parseAnswer, type Answers } from './answers';
export { evaluateChecks, resolvePath, show, type CheckResult, type GradingContext } from './checks';
export { applySolutionDrivers, runSolution } from './solution';
