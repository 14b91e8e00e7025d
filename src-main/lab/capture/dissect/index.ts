/** Dissection: the packet-details tree and the packet-list columns of a captured frame. */
export { dissect, type Field } from './dissect';
export { summarize, type Summary } from './summary';
export { FIELDS, fieldDef, type FieldDef, type FieldType } from './fields';
export { plainMeta, type FrameMeta } from './meta';
export { FrameLayers } from './layers';
