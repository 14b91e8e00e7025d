// Frames on the wire, as the topology draws them. The engine's `wire` event (with every `stats`)
// lists the frames since the last push; this store decides which are drawn and when:
//   step    paused: the frames of the last step stay on the wire with their labels and every
//           station's verdict until a later step brings new ones (a frame still in flight is
//           drawn as far as it has spread, and moves on with each Step event)
//   pulses  a slow real-time run: each frame replayed at its place in the interval, at least
//           MIN_VISIBLE_MS long
//   dense   a real-time run with more frames than can be drawn: the bus glows with its load
//   max     'max' speed: no frame is listed; the bus glows with its load
import { defineStore } from 'pinia';
import type { NetlabApi, SegmentFramesView, Speed, WireFrameView } from '../../../src-main/ipc/api';
import { useApi } from '../api';
import {
  MIN_VISIBLE_MS,
  pulseTiming,
  tooDense,
  VERDICT_HOLD_MS,
  wallFrameRate,
} from '../lib/wire-anim';
import { onLabLoaded, useLabStore } from './lab';

export type WireMode = 'idle' | 'step' | 'pulses' | 'dense' | 'max';

export interface ShownFrame {
  frame: WireFrameView;
  /** When its pulse starts and how long it runs (wall ms); Infinity: waiting for its end. */
  wallStart: number;
  wallDur: number;
  /** A step's frame: stays drawn after its pulse until frames of a later step replace it. */
  held: boolean;
  /** When it was first listed (a frame waiting for its end is given up after a while). */
  seenAt: number;
}

/** Frames on screen at most. */
const MAX_SHOWN = 64;
/** A frame listed in flight whose end never came (forgotten by the engine) is dropped after this. */
const WAIT_LIMIT_MS = 3000;

/** The API each store listens to, by store id (a test provides a new one). */
const listening = new Map<string, NetlabApi>();

/**
 * The store of one segment's frames: the lab's first segment's (`segment` null: the `wire`
 * event's own frames), or another's by name (its part of the event's `others`).
 */
function wireStore(segment: string | null) {
  const id = segment === null ? 'wire' : `wire:${segment}`;
  return defineStore(id, {
    state: () => ({
      shown: [] as ShownFrame[],
      mode: 'idle' as WireMode,
      /** Frames begun per second of wall time over the last push (real-time runs). */
      rate: 0,
      /** Utilisation and collisions over the last push's interval. */
      utilisation: 0,
      collisions: 0,
      /** Frames of the last push that are not drawn. */
      skipped: 0,
      simTimeNs: 0,
      /** The highest frame number listed so far: frames above it are new. */
      lastSeq: 0,
      /** Simulated time of the push whose step brought the held frames (the caption names the
       * segments a step ended frames on: those sharing the latest). */
      stepAtNs: 0,
    }),
    getters: {
      /** The frames of the last step, in wire order. */
      stepped: (s): WireFrameView[] => s.shown.filter((f) => f.held).map((f) => f.frame),
    },
    actions: {
      /** Listens to the API's `wire` events (once per API); the topology panel calls it. */
      init(): void {
        const api = useApi();
        if (listening.get(id) === api) return;
        listening.set(id, api);
        api.on('wire', (push) => {
          const mine = segment === null ? push : push.others?.find((o) => o.segment === segment);
          if (!mine) return;
          const lab = useLabStore();
          this.receive(mine, performance.now(), lab.running, lab.speed);
        });
        onLabLoaded(() => this.reset());
      },

      reset(): void {
        this.$reset();
      },

      receive(push: SegmentFramesView, now: number, running: boolean, speed: Speed): void {
        this.simTimeNs = push.simTimeNs;
        this.utilisation = push.utilisation;
        this.collisions = push.collisions;
        const onScreen = new Map(this.shown.map((s) => [s.frame.seq, s]));
        const fresh: WireFrameView[] = [];
        for (const f of push.frames) {
          const s = onScreen.get(f.seq);
          if (s) s.frame = f;
          else if (f.seq > this.lastSeq) fresh.push(f);
        }
        for (const f of push.frames) this.lastSeq = Math.max(this.lastSeq, f.seq);
        let skipped = push.skipped;
        if (!running) {
          this.mode = 'step';
          this.rate = 0;
          if (fresh.length > 0) {
            // A new step: its frames replace the last step's, but for those still moving on.
            const listed = new Set(push.frames.map((f) => f.seq));
            this.shown = this.shown.filter((s) => listed.has(s.frame.seq));
            for (const f of fresh) this.show(f, now, MIN_VISIBLE_MS, now);
            this.stepAtNs = push.simTimeNs;
          }
          for (const s of this.shown) {
            s.held = true;
            if (s.wallStart === Infinity) s.wallStart = now;
          }
        } else {
          for (const s of this.shown) s.held = false;
          if (speed === 'max') {
            this.mode = 'max';
            this.rate = 0;
          } else {
            this.rate = wallFrameRate(push, speed);
            this.mode = tooDense(push, speed) ? 'dense' : 'pulses';
            if (this.mode === 'dense') skipped += fresh.length;
            else for (const f of fresh) this.show(f, Infinity, 0, now);
            // Frames whose end has come are placed in this interval's playback.
            for (const s of this.shown) {
              if (s.wallStart !== Infinity || s.frame.endNs === null) continue;
              const t = pulseTiming(s.frame, push.sinceNs, now, speed);
              s.wallStart = t.wallStart;
              s.wallDur = t.wallDur;
            }
          }
        }
        this.skipped = skipped;
        if (this.shown.length > MAX_SHOWN) this.shown.splice(0, this.shown.length - MAX_SHOWN);
      },

      show(frame: WireFrameView, wallStart: number, wallDur: number, now: number): void {
        this.shown.push({ frame, wallStart, wallDur, held: false, seenAt: now });
      },

      /** Forgets frames whose pulse (and the verdicts after it) are over; held frames stay. */
      expire(now: number): void {
        const keep = (s: ShownFrame) =>
          s.held ||
          (s.wallStart === Infinity
            ? now - s.seenAt < WAIT_LIMIT_MS
            : now < s.wallStart + s.wallDur + VERDICT_HOLD_MS);
        if (this.shown.every(keep)) return;
        this.shown = this.shown.filter(keep);
      },
    },
  });
}

export const useWireStore = wireStore(null);

const segmentStores = new Map<string, ReturnType<typeof wireStore>>();

/** The store of a segment other than the lab's first, listening from its first use. */
export function useSegmentWireStore(segment: string): ReturnType<typeof useWireStore> {
  let use = segmentStores.get(segment);
  if (!use) {
    use = wireStore(segment);
    segmentStores.set(segment, use);
  }
  const store = use();
  store.init();
  return store;
}
