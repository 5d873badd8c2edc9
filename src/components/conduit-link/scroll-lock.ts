// What the lock changes on <html>, put back exactly as the page had it.
const PROPERTIES = ['overflow-x', 'overflow-y', 'scrollbar-gutter'] as const;

/**
 * Keeps the host page still while the modal is open: a modal <dialog> makes
 * the page inert but still lets the wheel and touch scroll it behind the backdrop.
 */
export class ScrollLock {
  private saved: { name: string; value: string; priority: string }[] | null = null;

  hold(): void {
    if (this.saved) return;
    const root = document.documentElement;
    const { style } = root;
    this.saved = PROPERTIES.map((name) => ({ name, value: style.getPropertyValue(name), priority: style.getPropertyPriority(name) }));
    // Where the scrollbar takes room, its gutter stays, so the page does not shift sideways.
    if (window.innerWidth > root.clientWidth) style.setProperty('scrollbar-gutter', 'stable', 'important');
    style.setProperty('overflow-x', 'hidden', 'important');
    style.setProperty('overflow-y', 'hidden', 'important');
  }

  release(): void {
    if (!this.saved) return;
    const { style } = document.documentElement;
    for (const { name, value, priority } of this.saved) {
      if (value) style.setProperty(name, value, priority);
      else style.removeProperty(name);
    }
    this.saved = null;
  }
}
