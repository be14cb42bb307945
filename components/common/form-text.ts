// A text field of a submitted form: FormData answers a string, a File (file inputs) or null.
export function formText(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}
