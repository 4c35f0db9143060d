import type { ProcessorFile } from '@fileforge/core';
import { z } from 'zod';
import {
  defineOperation,
  derivativeName,
  type Operation,
  type OperationResult,
} from '../operations/operation.js';
import {
  convertShape,
  needsASide,
  type ParsedConvert,
  type ParsedResize,
  type ParsedThumbnail,
  resizeShape,
  thumbnailShape,
} from './operation-options.js';
import { renderConvert, renderResize, renderThumbnail } from './operations.js';
import { extensionOf, type ImageOutputFormat } from './options.js';
import type { RenderedImage } from './render.js';
import type { ImageInput } from './source.js';

const MIME: Readonly<Record<ImageOutputFormat, string>> = {
  webp: 'image/webp',
  jpeg: 'image/jpeg',
  png: 'image/png',
  avif: 'image/avif',
  gif: 'image/gif',
  tiff: 'image/tiff',
};

/** The file as the image operations read it: by path when the store has one, else streamed. */
async function inputOf(file: ProcessorFile): Promise<ImageInput> {
  return file.path ?? (await file.open());
}

/** One encoded image as a derivative, its facts as metadata. */
function asResult(image: RenderedImage, name: string, kind: string): OperationResult {
  const { data, info } = image;
  return {
    metadata: { ...info },
    derivatives: [
      { name, kind, mime: MIME[info.format], width: info.width, height: info.height, content: data },
    ],
  };
}

const named = { name: derivativeName.optional() };

/**
 * The image operations (sharp, with the image processor's limits: header checks before any
 * decode, `failOn: 'warning'`, the pixel cap, SVG read from memory and checked):
 * `image.thumbnail` (`thumbnail-<size>.<ext>`, kind `thumbnail`), `image.resize`
 * (`resized.<ext>`) and `image.convert` (`converted.<ext>`), each derivative re-encoded
 * without metadata unless `keepMetadata`.
 */
export function createImageOperations(): Operation[] {
  return [
    defineOperation({
      name: 'image.thumbnail',
      options: z.strictObject({ ...thumbnailShape, ...named }),
      async run(file, options: ParsedThumbnail & { name?: string | undefined }, { signal }) {
        const image = await renderThumbnail(await inputOf(file), options, { signal });
        const name = options.name ?? `thumbnail-${options.size}.${extensionOf(image.info.format)}`;
        return asResult(image, name, 'thumbnail');
      },
    }),
    defineOperation({
      name: 'image.resize',
      options: needsASide(z.strictObject({ ...resizeShape, ...named })),
      async run(file, options: ParsedResize & { name?: string | undefined }, { signal }) {
        const image = await renderResize(await inputOf(file), options, { signal });
        return asResult(image, options.name ?? `resized.${extensionOf(image.info.format)}`, 'rendition');
      },
    }),
    defineOperation({
      name: 'image.convert',
      options: z.strictObject({ ...convertShape, ...named }),
      async run(file, options: ParsedConvert & { name?: string | undefined }, { signal }) {
        const image = await renderConvert(await inputOf(file), options, { signal });
        return asResult(image, options.name ?? `converted.${extensionOf(image.info.format)}`, 'rendition');
      },
    }),
  ];
}
