import type { Kernel } from '../kernel/kernel';
import type { UdpSocket } from '../kernel/udp-socket';
import { SECOND } from '../sim/time';

/**
 * An application reading a UDP socket at a fixed rate (datagrams per second),
 * or as fast as it can (`Infinity`: it is always waiting in recvfrom, so each
 * datagram is taken the moment it is queued). A reader slower than the
 * traffic lets the receive queue grow until SO_RCVBUF overflows.
 */
export class UdpReader {
  /** Datagrams and bytes the application has read. */
  datagrams = 0;
  bytes = 0;
  /** The read timer; -1 once stopped and given back. */
  private timer: number;
  private running = true;

  constructor(
    private readonly kernel: Kernel,
    readonly sock: UdpSocket,
    readonly rate: number,
  ) {
    if (!(rate > 0)) throw new RangeError(`read rate ${rate} must be > 0 datagrams/s`);
    this.timer = kernel.timers.setup(() => this.tick());
    if (rate === Infinity) sock.onDataReady = () => this.drain();
    else kernel.timers.mod(this.timer, kernel.now + SECOND / rate);
  }

  /** Stops reading for good and gives the timer back. */
  stop(): void {
    this.running = false;
    this.kernel.timers.free(this.timer);
    this.timer = -1;
    if (this.sock.onDataReady) this.sock.onDataReady = null;
  }

  private drain(): void {
    for (let n = this.kernel.udp.recv(this.sock); n >= 0; n = this.kernel.udp.recv(this.sock)) {
      this.datagrams++;
      this.bytes += n;
    }
  }

  private tick(): void {
    if (!this.running) return;
    const n = this.kernel.udp.recv(this.sock);
    if (n >= 0) {
      this.datagrams++;
      this.bytes += n;
    }
    this.kernel.timers.mod(this.timer, this.kernel.now + SECOND / this.rate);
  }
}
