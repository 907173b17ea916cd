// Field state shared by the dialog forms: values, which fields were left (blurred), and whether a
// submit was tried. An error shows once its field was left or a submit was tried, not while the
// operator is still typing into a fresh form.
import { useState, type FormEvent } from 'react';

export function useFormFields<V extends Record<string, string>>(initial: V) {
  const [values, setValues] = useState(initial);
  const [touched, setTouched] = useState<Partial<Record<keyof V, boolean>>>({});
  const [submitted, setSubmitted] = useState(false);
  return {
    values,
    set: (key: keyof V, value: string) => setValues((v) => ({ ...v, [key]: value })),
    blur: (key: keyof V) => () => setTouched((t) => ({ ...t, [key]: true })),
    /** The error to show for `key` now, from all of the form's current errors. */
    shown: (errors: Partial<Record<string, string>>) => (key: keyof V & string) => (submitted || touched[key] ? errors[key] : undefined),
    /** The form's onSubmit: marks a submit as tried (every error shows), and sends only without errors. */
    onSubmit: (errors: Partial<Record<string, string>>, send: () => void) => (e: FormEvent) => {
      e.preventDefault();
      setSubmitted(true);
      if (Object.keys(errors).length === 0) send();
    },
  };
}
