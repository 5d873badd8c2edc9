import { css } from 'lit';

export const supportReferenceStyles = css`
  p {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5em;
    font-size: 0.875em;
  }

  code {
    overflow-wrap: anywhere;
  }

  button {
    min-block-size: 2.25em;
    padding-block: 0.15em;
    padding-inline: 0.75em;
    font-size: 0.875em;
  }
`;
