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
