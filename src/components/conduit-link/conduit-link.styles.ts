import { css } from 'lit';
import { color, fontFamily, fontSize, radius, space } from '../../styles/tokens.js';

export const linkStyles = css`
  :host([mode='modal']) {
    display: contents;
  }

  .frame {
    font-family: ${fontFamily};
    font-size: ${fontSize};
    color: ${color.text};
    background: ${color.background};
    border: 1px solid ${color.border};
    border-radius: ${radius};
    padding: calc(${space} * 1.5);
    display: grid;
    gap: ${space};
    max-inline-size: 36rem;
  }

  dialog {
    padding: 0;
    border: 0;
    background: transparent;
    inline-size: min(36rem, calc(100vw - 2rem));
    max-block-size: calc(100dvh - 2rem);
  }

  dialog .frame {
    box-shadow: 0 20px 50px rgb(0 0 0 / 0.25);
  }

  dialog::backdrop {
    background: rgb(15 18 33 / 0.55);
  }

  header {
    display: flex;
    align-items: center;
    gap: 0.5em;
    min-block-size: 2.75em;
  }

  .position {
    flex: 1;
    color: ${color.muted};
    font-size: 0.875em;
  }

  .back,
  .close {
    border-color: transparent;
    background: transparent;
    padding-inline: 0.6em;
  }

  .close {
    margin-inline-start: auto;
    font-size: 1.25em;
    line-height: 1;
  }

  .loading {
    display: flex;
    align-items: center;
    gap: 0.75em;
    min-block-size: 8em;
    justify-content: center;
    color: ${color.muted};
  }
`;
