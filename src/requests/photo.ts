// A photo a learner adds to her request, as evidence: straight from a phone's camera (JPEG, often
// 3–12 MB, turned by an EXIF tag, with the place it was taken), or a picture she already has. Kept
// as sharp re-encodes it: turned upright, at most 1,600 px, JPEG — and without any of its metadata
// (where, when, which phone), since it will be public in her badge.
import sharp from 'sharp';
import { AppError } from '../shared/errors.js';

export const MAX_PHOTO_BYTES = 15 * 1024 * 1024;
export const photoTooLarge = () => new AppError('PHOTO_TOO_LARGE', 413, { max: MAX_PHOTO_BYTES / 1024 / 1024 });
const MAX_SIDE = 1600;
/** What phones and browsers send: camera JPEG, screenshots (PNG), WebP; HEIF/AVIF as far as this sharp decodes it. */
const FORMATS = new Set(['jpeg', 'png', 'webp', 'heif']);

export async function normalisePhoto(bytes: Buffer): Promise<Buffer> {
  if (bytes.length > MAX_PHOTO_BYTES) throw photoTooLarge();
  try {
    // A 200-megapixel phone makes 16,320 × 12,240 pictures; nothing bigger is a photo.
    const image = sharp(bytes, { limitInputPixels: 200_000_000, failOn: 'error' }).timeout({ seconds: 20 });
    const { format } = await image.metadata();
    if (!format || !FORMATS.has(format)) throw new AppError('PHOTO_UNREADABLE', 415);
    return await image.rotate().resize(MAX_SIDE, MAX_SIDE, { fit: 'inside', withoutEnlargement: true }).jpeg({ quality: 80 }).toBuffer();
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('PHOTO_UNREADABLE', 415);
  }
}
