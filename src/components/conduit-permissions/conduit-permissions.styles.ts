import { css } from 'lit';
import { color, radius, space } from '../../styles/tokens.js';

export const permissionsStyles = css`
  .scopes {
    margin: 0;
    padding: calc(${space} * 0.75) ${space};
    padding-inline-start: calc(${space} * 2);
    background: ${color.surface};
    border-radius: ${radius};
    display: grid;
    gap: 0.25em;
  }

  section {
    display: grid;
    gap: 0.25em;
  }
`;
