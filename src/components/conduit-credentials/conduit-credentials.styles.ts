import { css } from 'lit';
import { color, radius, space } from '../../styles/tokens.js';

export const credentialsStyles = css`
  /* The fields, marked busy during the check, spaced as the step's other parts. */
  .fields {
    display: grid;
    gap: ${space};
  }

  fieldset {
    display: grid;
    gap: 0.35em;
  }

  .regions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5em 1.25em;
  }

  .regions label {
    display: inline-flex;
    align-items: center;
    gap: 0.4em;
    font-weight: 400;
    min-block-size: 1.75em;
    cursor: pointer;
  }

  .regions input {
    inline-size: 1.15em;
    block-size: 1.15em;
    margin: 0;
    accent-color: ${color.primary};
  }

  /* In a narrow box the field keeps room for a dozen characters and more, and the host
     name or the Show key button beside it goes under it instead. */
  .affix {
    display: flex;
    flex-wrap: wrap;
    align-items: stretch;
  }

  .affix input {
    flex: 1 1 15ch;
    min-inline-size: 15ch;
    border-start-end-radius: 0;
    border-end-end-radius: 0;
  }

  .affix .suffix,
  .affix button {
    display: flex;
    align-items: center;
    flex: 1 0 auto;
    border: 1px solid ${color.border};
    /* Over the field's own border on one line; a full border of its own when wrapped. */
    margin-inline-start: -1px;
    border-start-start-radius: 0;
    border-end-start-radius: 0;
    border-start-end-radius: calc(${radius} * 0.6);
    border-end-end-radius: calc(${radius} * 0.6);
    padding-inline: 0.75em;
    background: ${color.surface};
    color: ${color.muted};
    white-space: nowrap;
  }

  .affix button {
    color: ${color.text};
    font-size: 0.875em;
    font-weight: 600;
  }

  details {
    background: ${color.surface};
    border-radius: ${radius};
    padding: calc(${space} * 0.75) ${space};
  }

  summary {
    cursor: pointer;
    font-weight: 600;
    padding-block: 0.25em;
  }

  details[open] summary {
    margin-block-end: 0.5em;
  }

  details ol {
    margin: 0 0 0.5em;
    padding-inline-start: 1.25em;
  }

  .region-switch {
    justify-self: start;
    margin-block-start: 0.25em;
  }

  .progress {
    display: inline-flex;
    align-items: center;
    gap: 0.5em;
  }
`;
