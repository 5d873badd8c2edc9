import { css } from 'lit';
import { color, radius, space } from '../../styles/tokens.js';

export const lifecycleStyles = css`
  .facts {
    display: grid;
    grid-template-columns: max-content 1fr;
    gap: 0.35em ${space};
    margin: 0;
    padding: ${space};
    border: 1px solid ${color.border};
    border-radius: ${radius};
    background: ${color.surface};
  }

  .facts dt {
    color: ${color.muted};
  }

  .facts dd {
    margin: 0;
    overflow-wrap: anywhere;
  }

  .link {
    display: block;
    padding: ${space};
    border: 1px solid ${color.border};
    border-radius: ${radius};
    background: ${color.surface};
    overflow-wrap: anywhere;
    font-family: ui-monospace, monospace;
    font-size: 0.9em;
  }

  .danger {
    color: ${color.danger};
  }

  .actions {
    flex-wrap: wrap;
  }
`;
