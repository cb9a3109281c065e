import type { AttachmentType } from '../../workflows/model';

/**
 * What a file is, judged by its first bytes (its signature), never by its name or the type its
 * sender claims: a `.jpg` that is a script, or an HTML page sent as image/jpeg, is refused. Only the
 * formats of evidence and records are taken: photos (JPEG, PNG, WebP), documents (PDF), video (MP4).
 * A handful of signatures, so no dependency is needed to read them.
 */

const ascii = (bytes: Uint8Array, from: number, text: string) =>
  bytes.length >= from + text.length && [...text].every((c, i) => bytes[from + i] === c.charCodeAt(0));
const startsWith = (bytes: Uint8Array, signature: readonly number[]) => bytes.length >= signature.length && signature.every((b, i) => bytes[i] === b);

/** ISO base media brands of MP4 video (ftyp box at offset 4); QuickTime and 3GP are not taken. */
const mp4Brands = ['isom', 'iso2', 'iso4', 'iso5', 'iso6', 'mp41', 'mp42', 'avc1', 'dash', 'M4V '];

export function sniffType(bytes: Uint8Array): AttachmentType | undefined {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (ascii(bytes, 0, 'RIFF') && ascii(bytes, 8, 'WEBP')) return 'image/webp';
  if (ascii(bytes, 0, '%PDF-')) return 'application/pdf';
  if (ascii(bytes, 4, 'ftyp') && mp4Brands.some((brand) => ascii(bytes, 8, brand))) return 'video/mp4';
  return undefined;
}
