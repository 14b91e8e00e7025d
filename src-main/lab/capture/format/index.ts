/**
 * Capture files: pcap and pcapng writers that stream chunks to a sink, and readers that take
 * bytes (whole, or chunk by chunk) and yield packets as views into them.
 */
export * from './types';
export { PcapWriter, type PcapWriterOptions } from './pcap-writer';
export {
  PcapngWriter,
  type PcapngWriterOptions,
  type PcapngInterfaceOptions,
} from './pcapng-writer';
export { readPcap, PcapParser } from './pcap-reader';
export { readPcapng, PcapngParser, MAX_BLOCK_LEN } from './pcapng-reader';
export {
  readCapture,
  detectCaptureFormat,
  CaptureStreamReader,
  writeCapture,
  type WriteCaptureOptions,
} from './read-capture';
export { encodeUtf8, decodeUtf8, utf8Length } from './utf8';
