// The user's prefers-reduced-motion setting, kept current while a component is mounted.
import { onBeforeUnmount, onMounted, ref, type Ref } from 'vue';

export function useReducedMotion(): Ref<boolean> {
  const reduced = ref(false);
  let media: MediaQueryList | null = null;
  const onChange = (e: MediaQueryListEvent) => (reduced.value = e.matches);
  onMounted(() => {
    media = matchMedia('(prefers-reduced-motion: reduce)');
    reduced.value = media.matches;
    media.addEventListener('change', onChange);
  });
  onBeforeUnmount(() => media?.removeEventListener('change', onChange));
  return reduced;
}
