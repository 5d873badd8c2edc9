// The partner pages' HTML as their server writes it: values the server knows
// only per request (a session token, the backend's URL) put into a template.

/** `html` with each `{{name}}` replaced by `values[name]`, escaped for HTML text and attribute values. */
export function fillTemplate(html: string, values: Record<string, string>): string {
  return html.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`the page template names {{${name}}}, which has no value`);
    return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
  });
}
