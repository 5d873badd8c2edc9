import { css } from 'lit';
import { color, darkPalette, fontFamily, fontSize, radius, space } from '../../styles/tokens.js';

export const linkStyles = css`
  :host([mode='modal']) {
    display: contents;
  }

  :host([theme='dark']) .frame,
  :host([theme='dark']) dialog {
    ${darkPalette}
  }

  @media (prefers-color-scheme: dark) {
    :host([theme='system']) .frame,
    :host([theme='system']) dialog {
      ${darkPalette}
    }
  }

  .frame {
    font-family: ${fontFamily};
    font-size: ${fontSize};
    color: ${color.text};
    background: ${color.background};
    border: 1px solid ${color.border};
    border-radius: ${radius};
    /* Narrower padding when the box the flow is given (not the viewport: a partner may
       put it in a sidebar) is under 26rem. Percentages measure that box without making
       the element a size container, which would collapse it to nothing in a flex row. */
    padding: clamp(${space}, (100% - 26rem) * 1000, calc(${space} * 1.5));
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
    overscroll-behavior: contain;
    animation: rise 0.18s ease-out;
  }

  dialog .frame {
    box-shadow: 0 20px 50px rgb(0 0 0 / 0.25);
  }

  dialog::backdrop {
    background: rgb(15 18 33 / 0.55);
  }

  @keyframes rise {
    from {
      opacity: 0;
      transform: translateY(0.75rem);
    }
  }

  /* On a phone the modal is a full-screen sheet: the top layer is sized by the viewport. */
  @media (max-width: 30rem) {
    dialog {
      inline-size: 100%;
      max-inline-size: 100%;
      block-size: 100%;
      max-block-size: 100%;
      margin: 0;
    }

    dialog .frame {
      min-block-size: 100%;
      max-inline-size: none;
      align-content: start;
      border: 0;
      border-radius: 0;
      box-shadow: none;
    }
  }

  @media (prefers-reduced-motion: reduce) {
    dialog {
      animation: none;
    }
  }

  header {
    display: flex;
    align-items: center;
    gap: 0.5em;
    min-block-size: 2.75em;
  }

  header[hidden] {
    display: none;
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

  /* The arrow points the way back in the reading direction. */
  :dir(rtl) .back-arrow {
    display: inline-block;
    transform: scaleX(-1);
  }

  ::slotted([slot='logo']) {
    max-block-size: 2em;
    max-inline-size: 8em;
  }

  footer {
    color: ${color.muted};
    font-size: 0.875em;
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
