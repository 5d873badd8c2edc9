import { css, type CSSResult } from 'lit';

// Public tokens are only ever read, each with its fallback, so a host can set
// them on :root or on <conduit-link> and nothing of ours shadows them. The
// fallback is the theme's private value (set by <conduit-link> for dark), then
// the light value, so a step used on its own still looks right.
export const color = {
  primary: css`var(--conduit-color-primary, var(--_conduit-primary, #3b4fd8))`,
  // By default chosen by contrast with the primary colour (see onColor).
  primaryText: css`var(--conduit-color-primary-text, var(--_conduit-on-primary, #ffffff))`,
  background: css`var(--conduit-color-background, var(--_conduit-background, #ffffff))`,
  surface: css`var(--conduit-color-surface, var(--_conduit-surface, #f5f6fa))`,
  text: css`var(--conduit-color-text, var(--_conduit-text, #1c2033))`,
  muted: css`var(--conduit-color-muted, var(--_conduit-muted, #5b6178))`,
  danger: css`var(--conduit-color-danger, var(--_conduit-danger, #b42318))`,
  success: css`var(--conduit-color-success, var(--_conduit-success, #18794e))`,
  border: css`var(--conduit-color-border, var(--_conduit-border, #8a90a6))`,
  focus: css`var(--conduit-focus-ring, var(--_conduit-focus, #1d4ed8))`,
};

export const radius = css`var(--conduit-radius, 10px)`;
export const fontFamily = css`var(--conduit-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif)`;
export const fontSize = css`var(--conduit-font-size, 1rem)`;
export const space = css`var(--conduit-space, 1rem)`;

/**
 * White or black, whichever contrasts more with `background` by WCAG's
 * relative luminance (the `y` of XYZ): they tie at y ≈ 0.179. So any brand
 * colour a partner picks keeps its label readable.
 */
export function onColor(background: CSSResult): CSSResult {
  const white = css`clamp(0, (0.179 - y) * 100000, 1)`;
  return css`color(from ${background} xyz-d65 calc(${white} * 0.9505) ${white} calc(${white} * 1.089))`;
}

/** The dark theme's values, declared on the flow's frame for its steps to inherit. */
export const darkPalette = css`
  --_conduit-primary: #9aabff;
  --_conduit-background: #15171f;
  --_conduit-surface: #222533;
  --_conduit-text: #eceef5;
  --_conduit-muted: #aab0c4;
  --_conduit-danger: #ff9b92;
  --_conduit-success: #5fd39b;
  --_conduit-border: #6d7390;
  --_conduit-focus: #b4c2ff;
  color-scheme: dark;
`;
