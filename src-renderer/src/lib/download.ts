// A file the API hands over as a download (the web host has no dialogs): a Blob, an object URL
// and a click on a temporary link. No path is ever involved.

export interface Download {
  fileName: string;
  mime: string;
  base64: string;
}

export function base64Bytes(base64: string): Uint8Array {
  const text = atob(base64);
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

export function download(d: Download): void {
  const blob = new Blob([base64Bytes(d.base64) as Uint8Array<ArrayBuffer>], { type: d.mime });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = d.fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Bytes as base64 (a picked capture file, for `capture.import`), in chunks: no huge argument lists. */
export function bytesBase64(bytes: Uint8Array): string {
  let text = '';
  for (let at = 0; at < bytes.length; at += 0x8000)
    text += String.fromCharCode(...bytes.subarray(at, at + 0x8000));
  return btoa(text);
}

/** Text as base64 of its UTF-8 bytes (a driver's source offered as a download). */
export function base64Encode(text: string): string {
  return bytesBase64(new TextEncoder().encode(text));
}
