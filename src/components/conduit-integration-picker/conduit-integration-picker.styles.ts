import { css } from 'lit';
import { color, radius, space } from '../../styles/tokens.js';

export const pickerStyles = css`
  .tiles {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(9.5em, 1fr));
    gap: calc(${space} * 0.75);
  }

  .tile {
    position: relative;
    display: grid;
    justify-items: center;
    align-content: start;
    gap: 0.5em;
    padding: ${space};
    border: 1px solid ${color.border};
    border-radius: ${radius};
    background: ${color.background};
    cursor: pointer;
    font-weight: 500;
    text-align: center;
  }

  .tile:hover {
    border-color: ${color.primary};
  }

  .tile:has(input:checked) {
    border-color: ${color.primary};
    box-shadow: 0 0 0 1px ${color.primary};
    background: ${color.surface};
  }

  .tile:has(input:focus-visible) {
    outline: 3px solid ${color.focus};
    outline-offset: 2px;
  }

  .logo {
    inline-size: 3em;
    block-size: 3em;
    border-radius: calc(${radius} * 0.6);
    object-fit: contain;
  }

  .monogram {
    display: grid;
    place-items: center;
    background: ${color.surface};
    color: ${color.text};
    font-weight: 700;
    font-size: 1.1em;
  }

  .search {
    display: grid;
    gap: 0.35em;
  }

  /* Box shadows vanish in forced colours: mark the choice with the system highlight. */
  @media (forced-colors: active) {
    .tile:has(input:checked) {
      outline: 3px solid Highlight;
      outline-offset: -3px;
    }
  }
`;
