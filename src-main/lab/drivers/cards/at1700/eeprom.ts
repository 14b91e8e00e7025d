/**
 * A 93C46 serial EEPROM (64 words of 16 bits) as at1700.c's read_eeprom
 * clocks it: with chip select up, a start bit, the READ opcode (10) and a
 * 6-bit address are shifted in on rising clock edges, then the word comes out
 * most significant bit first, one bit per rising edge. Dropping chip select
 * ends the command. Only READ is modelled: the board's configuration is
 * written once at the factory.
 */
export class Eeprom93c46 {
  /** What the driver last put on the data-in line. */
  dataIn = false;
  /** The data-out line the driver samples. */
  dataOut = false;
  private cs = false;
  private clk = false;
  private started = false;
  private shifted = 0;
  private bits = 0;
  private out = -1;
  private word = 0;

  constructor(private readonly words: Uint16Array) {}

  control(cs: boolean, clk: boolean): void {
    if (!cs) {
      this.cs = false;
      this.clk = clk;
      this.started = false;
      this.shifted = 0;
      this.bits = 0;
      this.out = -1;
      this.dataOut = false;
      return;
    }
    const rising = !this.clk && clk;
    this.cs = cs;
    this.clk = clk;
    if (!rising) return;
    if (this.out >= 0) {
      this.dataOut = this.out > 0 && ((this.word >> (this.out - 1)) & 1) === 1;
      if (this.out > 0) this.out--;
      return;
    }
    if (!this.started) {
      this.started = this.dataIn; // leading zeros before the start bit are ignored
      return;
    }
    this.shifted = (this.shifted << 1) | (this.dataIn ? 1 : 0);
    if (++this.bits < 8) return;
    // Opcode (2 bits) and address (6 bits) are in: READ starts with a dummy zero.
    if (this.shifted >> 6 === 0b10) {
      this.word = this.words[this.shifted & 0x3f];
      this.out = 16;
    }
    this.dataOut = false;
  }
}
