import { checkMediaType, type MediaTypes, mediaType } from './mediaType.ts';
import { type BodyLimits, readBody } from './readBody.ts';

/**
 * The preamble every ingest protocol shares: the media type checked (415 with a hint), then the body read
 * within its size limit and its Content-Encoding undone within the decompressed limit (413).
 */
export async function readIngestBody(
  request: Request,
  media: MediaTypes,
  limits: BodyLimits,
): Promise<{ body: Buffer; mediaType: string }> {
  const type = mediaType(request);
  checkMediaType(type, media);
  return { body: await readBody(request, limits), mediaType: type };
}
