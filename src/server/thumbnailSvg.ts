/**
 * A small placeholder thumbnail: a coloured card numbered after the clip. The hue comes from
 * the job id so clips of one job look alike; no request text is echoed into the markup, so the
 * SVG cannot carry a script however odd the URL.
 *
 * @example
 * res.end(thumbnailSvg('gen_1', 2));
 */
export function thumbnailSvg(jobId: string, clipNumber: number): string {
  let hue = 0;
  for (const char of jobId) hue = (hue * 31 + char.charCodeAt(0)) % 360;
  return [
    '<svg xmlns="http://www.w3.org/2000/svg" width="160" height="90" viewBox="0 0 160 90">',
    `<rect width="160" height="90" rx="6" fill="hsl(${hue} 55% 45%)"/>`,
    `<text x="80" y="52" font-family="sans-serif" font-size="20" fill="#fff" text-anchor="middle">Clip ${clipNumber}</text>`,
    '</svg>',
  ].join('');
}
