/** Display filters in Wireshark's style, compiled once and run over stored frames. */
export {
  compileFilter,
  formatFilterError,
  type CompiledFilter,
  type FilterResult,
} from './compile';
export type { FilterError } from './parser';
export { compileTreeFilter, indexTree, type TreeFilter, type TreeFrame } from './reference';
export { captureMeta, filterStore, StoreFrameMeta } from './store';
export { fateMatches, isDelivered, isDropped } from './fate';
