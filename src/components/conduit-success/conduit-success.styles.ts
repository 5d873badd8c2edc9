import { css } from 'lit';
import { color, onColor, radius, space } from '../../styles/tokens.js';

export const successStyles = css`
  .mark {
    inline-size: 3em;
    block-size: 3em;
    border-radius: 50%;
    display: grid;
    place-items: center;
    background: ${color.success};
    color: #ffffff;
    font-size: 1.25em;
    font-weight: 700;
  }

  @supports (color: color(from red xyz-d65 x y z)) {
    .mark {
      color: ${onColor(color.success)};
    }
  }

  .site {
    display: grid;
    gap: 0.15em;
    padding: ${space};
    border: 1px solid ${color.border};
    border-radius: ${radius};
    background: ${color.surface};
  }

  .site-name {
    font-weight: 600;
    font-size: 1.1em;
  }

  .site .badge {
    justify-self: start;
  }
`;
