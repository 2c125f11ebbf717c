/**
 * An attached or sent image, drawn at a fixed box from its known size (so the conversation's layout does not jump
 * when the bytes arrive). The bytes come from main once per image id and are kept for a while: images never
 * change under an id.
 */
import { useEffect, useState, type ReactElement } from 'react';
import type { ImageRef } from '../../../shared/types';
import { getBridge } from '../bridge';

/** Images kept in the page (data: URLs of fitted images: up to about a megabyte each). */
const KEPT = 40;
const cache = new Map<string, string>();

function remember(id: string, url: string): void {
  cache.delete(id);
  cache.set(id, url);
  while (cache.size > KEPT) {
    const oldest = cache.keys().next().value;
    if (oldest === undefined) break;
    cache.delete(oldest);
  }
}

/** The box an image is drawn in: its own proportions, the longest side at most `max` CSS pixels. */
export function thumbSize(
  image: Pick<ImageRef, 'width' | 'height'>,
  max: number,
): { width: number; height: number } {
  const scale = Math.min(1, max / Math.max(1, image.width, image.height));
  return {
    width: Math.max(1, Math.round(image.width * scale)),
    height: Math.max(1, Math.round(image.height * scale)),
  };
}

export function ImageThumb({
  image,
  alt,
  max = 96,
}: {
  image: ImageRef;
  alt: string;
  max?: number;
}): ReactElement {
  const [url, setUrl] = useState<string | null>(() => cache.get(image.id) ?? null);
  const [missing, setMissing] = useState(false);
  useEffect(() => {
    if (url) return;
    let live = true;
    const bridge = getBridge();
    bridge['image.get']({ id: image.id })
      .then((data) => {
        if (!live) return;
        if (data) {
          remember(image.id, data.dataUrl);
          setUrl(data.dataUrl);
        } else setMissing(true);
      })
      .catch(() => live && setMissing(true));
    return () => {
      live = false;
    };
  }, [image.id, url]);
  const size = thumbSize(image, max);
  const title = `${image.width}×${image.height}`;
  if (url) return <img className="thumb" src={url} alt={alt} title={title} {...size} />;
  return (
    <span className="thumb thumb-placeholder" style={size} title={title}>
      {missing ? 'Image not available' : ''}
    </span>
  );
}
