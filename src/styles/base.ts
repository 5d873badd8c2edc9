import { css } from 'lit';
import { color, fontFamily, fontSize, onColor, radius, space } from './tokens.js';

/** Shared by every step: type, headings, buttons, fields, focus and helpers. */
export const baseStyles = css`
  :host {
    display: block;
  }

  :host([hidden]) {
    display: none;
  }

  * {
    box-sizing: border-box;
  }

  .step {
    font-family: ${fontFamily};
    font-size: ${fontSize};
    line-height: 1.5;
    color: ${color.text};
    display: grid;
    gap: ${space};
  }

  h2 {
    font-size: 1.375em;
    line-height: 1.25;
    margin: 0;
    outline: none;
  }

  h3 {
    font-size: 1em;
    margin: 0;
  }

  p {
    margin: 0;
  }

  a {
    color: ${color.primary};
  }

  .muted {
    color: ${color.muted};
  }

  button {
    font: inherit;
    cursor: pointer;
    min-block-size: 2.75em;
    min-inline-size: 2.75em;
    border-radius: calc(${radius} * 0.8);
    padding-block: 0.5em;
    padding-inline: 1.25em;
    border: 1px solid ${color.border};
    background: ${color.background};
    color: ${color.text};
  }

  button.primary {
    background: ${color.primary};
    border-color: ${color.primary};
    color: ${color.primaryText};
    font-weight: 600;
  }

  @supports (color: color(from red xyz-d65 x y z)) {
    button.primary {
      --_conduit-on-primary: ${onColor(color.primary)};
    }
  }

  button:disabled,
  button[aria-disabled='true'] {
    cursor: not-allowed;
    opacity: 0.55;
  }

  .actions {
    display: flex;
    justify-content: flex-end;
    gap: calc(${space} * 0.5);
    margin-block-start: calc(${space} * 0.5);
  }

  .actions button.primary {
    min-inline-size: 8em;
    /* Less padding in a narrow box (the percentage measures the actions' row), so a long
       label such as Italian "Collegamento in corso…" stays on one line at 320 px. */
    padding-inline: clamp(0.5em, (100% - 20rem) * 1000, 1.25em);
  }

  :focus-visible {
    outline: 3px solid ${color.focus};
    outline-offset: 2px;
  }

  input[type='text'],
  input[type='password'],
  input[type='search'] {
    font: inherit;
    color: ${color.text};
    background: ${color.background};
    border: 1px solid ${color.border};
    border-radius: calc(${radius} * 0.6);
    padding-block: 0.55em;
    padding-inline: 0.75em;
    inline-size: 100%;
    min-block-size: 2.75em;
  }

  input[aria-invalid='true'] {
    border-color: ${color.danger};
  }

  label,
  legend {
    font-weight: 600;
  }

  fieldset {
    border: 0;
    margin: 0;
    padding: 0;
    min-inline-size: 0;
  }

  .badge {
    font-size: 0.75em;
    font-weight: 600;
    padding-inline: 0.5em;
    border-radius: 999px;
    border: 1px solid ${color.border};
    color: ${color.muted};
  }

  .field {
    display: grid;
    gap: 0.35em;
  }

  .hint {
    font-size: 0.875em;
    color: ${color.muted};
  }

  .field-error {
    font-size: 0.875em;
    color: ${color.danger};
    font-weight: 500;
  }

  .alert {
    border: 1px solid ${color.danger};
    border-inline-start-width: 4px;
    border-radius: calc(${radius} * 0.6);
    padding: calc(${space} * 0.75);
    color: ${color.text};
    display: grid;
    gap: 0.35em;
  }

  .alert:empty {
    display: none;
  }

  .spinner {
    display: inline-block;
    inline-size: 1em;
    block-size: 1em;
    border: 2px solid currentColor;
    border-inline-end-color: transparent;
    border-radius: 50%;
    animation: spin 0.8s linear infinite;
    vertical-align: -0.15em;
  }

  @keyframes spin {
    to {
      transform: rotate(360deg);
    }
  }

  @media (prefers-reduced-motion: reduce) {
    .spinner {
      animation-duration: 2.4s;
    }
  }

  /* Windows high contrast: the system's colours replace ours, so state shown by
     colour alone (the primary button, disabled, invalid) gets a shape or system colour. */
  @media (forced-colors: active) {
    button.primary {
      border-width: 2px;
    }

    button:disabled,
    button[aria-disabled='true'] {
      color: GrayText;
      border-color: GrayText;
      opacity: 1;
    }

    input[aria-invalid='true'] {
      border-width: 2px;
      border-style: dashed;
    }

    :focus-visible {
      outline-color: Highlight;
    }
  }

  .visually-hidden {
    position: absolute;
    inline-size: 1px;
    block-size: 1px;
    padding: 0;
    margin: -1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
`;
