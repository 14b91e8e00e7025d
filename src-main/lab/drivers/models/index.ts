import type { NicModel, NicModelName } from '../nic-model';
import { hash64 } from './hash64';
import { nofilter } from './nofilter';
import { perfect } from './perfect';
import { promiscOnly } from './promisc-only';

export const NIC_MODELS: Record<NicModelName, NicModel> = {
  nofilter,
  hash64,
  perfect,
  'promisc-only': promiscOnly,
};

/** The models' names in the table's order: what a lab file, the API and the window offer. */
export const NIC_MODEL_NAMES = Object.keys(NIC_MODELS) as [NicModelName, ...NicModelName[]];
