/** Builders of the placeholder media URLs the REST handler serves. */
export interface MediaUrls {
  /** A clip's thumbnail, e.g. `/api/v1/thumbnails/gen_1/2.svg`. */
  thumbnail(id: string, clipNumber: number): string;
  /** A job's video, e.g. `/api/v1/videos/gen_1.mp4`. */
  video(id: string): string;
}

/**
 * URLs of the placeholder media the REST handler serves, so the timelines and the routes cannot
 * drift apart. Root-relative when `origin` is `''` (valid for `SafeUrlSchema`, loaded from the
 * page's own origin); absolute under `origin` otherwise, for a page served from another origin
 * than the API.
 *
 * @example
 * mediaUrls().thumbnail('gen_1', 2); // '/api/v1/thumbnails/gen_1/2.svg'
 * mediaUrls('https://api.example').video('gen_1'); // 'https://api.example/api/v1/videos/gen_1.mp4'
 */
export function mediaUrls(origin = ''): MediaUrls {
  return {
    thumbnail: (id, clipNumber) => `${origin}/api/v1/thumbnails/${encodeURIComponent(id)}/${clipNumber}.svg`,
    video: (id) => `${origin}/api/v1/videos/${encodeURIComponent(id)}.mp4`,
  };
}
