/** Lab files: parse (YAML or JSON) with errors that name file, line and field; save; build a Lab. */
export {
  buildLab,
  type BuiltLab,
  type CapturePlan,
  type GeneratorPlan,
  type SinkPlan,
} from './build';
export {
  formatPath,
  formatSpecError,
  formatSpecErrors,
  InvalidLabSpecError,
  type PathSegment,
  type SpecError,
} from './errors';
export { MAX_LAB_FILE_CHARS, parseLabSpec, validateLabData, type LabSpecResult } from './load';
export { saveLabSpec, toLabData, type LabFormat } from './save';
export {
  labSpecSchema,
  NIC_NAMES,
  type CaptureSpec,
  type ExerciseSpec,
  type GeneratorSpec,
  type HostSpec,
  type InterfaceSpec,
  type JoinSpec,
  type LabSpec,
  type Pattern,
  type SegmentSpec,
  type SinkSpec,
} from './schema';
export * from './units';
