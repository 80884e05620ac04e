/**
 * The default look of `<JobProgress>`, the second half of `jobstream/react/styles.css`, as a
 * string; see `connectionStatusCss`. Themed by `--jobstream-progress-*` custom properties.
 */
export const jobProgressCss = `/* jobstream/react: <JobProgress> */
.jobstream-progress { display: grid; gap: 0.5em; }
.jobstream-progress__track {
  height: var(--jobstream-progress-height, 0.5em);
  border-radius: 999px;
  background: var(--jobstream-progress-track, #d0d7de);
  overflow: hidden;
}
.jobstream-progress__fill {
  height: 100%;
  background: var(--jobstream-progress-fill, #0969da);
  transition: width 0.2s ease-out;
}
.jobstream-progress[data-status='completed'] .jobstream-progress__fill { background: var(--jobstream-connected, #1a7f37); }
.jobstream-progress[data-status='failed'] .jobstream-progress__fill,
.jobstream-progress[data-status='cancelled'] .jobstream-progress__fill { background: var(--jobstream-error, #cf222e); }
@media (prefers-reduced-motion: reduce) { .jobstream-progress__fill { transition: none; } }
.jobstream-progress__clips { display: flex; flex-wrap: wrap; gap: 0.5em; margin: 0; padding: 0; list-style: none; }
.jobstream-progress__clips img { width: 6em; height: auto; border-radius: 4px; }
.jobstream-progress__error { color: var(--jobstream-error, #cf222e); }
`;
