import { css } from 'lit';

// Public tokens are only ever read, each with its fallback, so a host can set
// them on :root or on <conduit-link> and nothing of ours shadows them.
export const color = {
  primary: css`var(--conduit-color-primary, #3b4fd8)`,
  primaryText: css`var(--conduit-color-primary-text, #ffffff)`,
  background: css`var(--conduit-color-background, #ffffff)`,
  surface: css`var(--conduit-color-surface, #f5f6fa)`,
  text: css`var(--conduit-color-text, #1c2033)`,
  muted: css`var(--conduit-color-muted, #5b6178)`,
  danger: css`var(--conduit-color-danger, #b42318)`,
  success: css`var(--conduit-color-success, #18794e)`,
  border: css`var(--conduit-color-border, #d5d8e3)`,
  focus: css`var(--conduit-focus-ring, #1d4ed8)`,
};

export const radius = css`var(--conduit-radius, 10px)`;
export const fontFamily = css`var(--conduit-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif)`;
export const fontSize = css`var(--conduit-font-size, 1rem)`;
export const space = css`var(--conduit-space, 1rem)`;
