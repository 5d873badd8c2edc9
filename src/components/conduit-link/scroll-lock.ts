/**
 * Keeps the host page still while the modal is open: a modal <dialog> makes
 * the page inert but still lets the wheel and touch scroll it behind the backdrop.
 */
export class ScrollLock {
  private saved: { overflow: string; gutter: string } | null = null;

  hold(): void {
    if (this.saved) return;
    const { style } = document.documentElement;
    this.saved = { overflow: style.overflow, gutter: style.scrollbarGutter };
    // The gutter stays, so hiding the scrollbar does not shift the page sideways.
    if (document.documentElement.scrollHeight > document.documentElement.clientHeight) style.scrollbarGutter = 'stable';
    style.overflow = 'hidden';
  }

  release(): void {
    if (!this.saved) return;
    const { style } = document.documentElement;
    style.overflow = this.saved.overflow;
    style.scrollbarGutter = this.saved.gutter;
    this.saved = null;
  }
}
