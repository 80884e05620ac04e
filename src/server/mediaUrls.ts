/**
 * Root-relative URLs of the placeholder media the REST handler serves, so the timelines and the
 * routes cannot drift apart. Root-relative keeps them valid for `SafeUrlSchema` and lets a demo
 * page load them from the same origin.
 *
 * @example
 * mediaUrls.thumbnail('gen_1', 2); // '/api/v1/thumbnails/gen_1/2.svg'
 */
export const mediaUrls = {
  thumbnail: (id: string, clipNumber: number): string => `/api/v1/thumbnails/${encodeURIComponent(id)}/${clipNumber}.svg`,
  video: (id: string): string => `/api/v1/videos/${encodeURIComponent(id)}.mp4`,
} as const;
