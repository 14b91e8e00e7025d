// Starts every store: each subscribes to the API events it follows, then the lab is fetched.
import { useAppStore } from './app';
import { useCaptureStore } from './capture';
import { useDriverStore } from './driver';
import { useExerciseStore } from './exercise';
import { useFollowStore } from './follow';
import { useGeneratorsStore } from './generators';
import { useInterfacesStore } from './interfaces';
import { useLabStore } from './lab';
import { useShellStore } from './shell';
import { useStatsStore } from './stats';

export async function initStores(): Promise<void> {
  useCaptureStore().init();
  useFollowStore().init();
  useStatsStore().init();
  useInterfacesStore().init();
  useShellStore().init();
  useGeneratorsStore().init();
  useExerciseStore().init();
  useDriverStore().init();
  await Promise.all([
    useAppStore()
      .load()
      .catch(() => {}),
    useLabStore().init(),
  ]);
}
