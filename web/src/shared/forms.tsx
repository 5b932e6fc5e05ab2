/**
 * Accessible form building blocks. Every control has a visible <label>; hints and errors are tied to it with
 * aria-describedby; a failed submit shows an error summary (role=alert) that names each field by its label and
 * links to it, whether the error came from the browser-side checks or from the API's problem JSON `field`.
 */
import { createContext, useCallback, useContext, useEffect, useId, useMemo, useRef, useState, type FormEvent, type ComponentProps, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';
import { ApiError, errorMessage } from './api.ts';

interface FieldInfo {
  id: string;
  label: string;
}

interface FormCtx {
  errorFor(names: string[]): string | undefined;
  register(names: string[], info: FieldInfo): () => void;
}

const FormContext = createContext<FormCtx>({ errorFor: () => undefined, register: () => () => {} });

export type FieldErrors = Record<string, string | undefined>;
const clean = (e: FieldErrors): Record<string, string> => Object.fromEntries(Object.entries(e).filter((kv): kv is [string, string] => Boolean(kv[1])));

export interface SubmitState {
  busy: boolean;
  error: unknown;
  fieldErrors: Record<string, string>;
  setFieldErrors: (e: FieldErrors) => void;
  reset: () => void;
  run: <T>(fn: () => Promise<T>) => Promise<T | undefined>;
}

/** Runs a submit: busy flag, API errors (with their field), and browser-side field errors. */
export function useSubmit(): SubmitState {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [fieldErrors, setFieldErrorsState] = useState<Record<string, string>>({});
  const setFieldErrors = useCallback((e: FieldErrors) => setFieldErrorsState(clean(e)), []);
  const run = useCallback(async <T,>(fn: () => Promise<T>) => {
    setBusy(true);
    setError(null);
    setFieldErrors({});
    try {
      return await fn();
    } catch (err) {
      setError(err);
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  const reset = useCallback(() => {
    setError(null);
    setFieldErrors({});
  }, []);
  return { busy, error, fieldErrors, setFieldErrors, reset, run };
}

interface FormProps {
  state: SubmitState;
  onSubmit: () => Promise<unknown> | void;
  children: ReactNode;
  className?: string;
  /** Accessible name of the form (required when a page has several). */
  label?: string;
  /** Browser-side checks: return field → message; a non-empty result stops the submit. */
  validate?: () => FieldErrors;
}

export function Form({ state, onSubmit, children, className, label, validate }: FormProps) {
  const fields = useRef(new Map<string, FieldInfo>());
  const summary = useRef<HTMLDivElement>(null);
  const apiField = state.error instanceof ApiError ? state.error.field : undefined;
  const ctx = useMemo<FormCtx>(
    () => ({
      errorFor: (names) => {
        for (const n of names) if (state.fieldErrors[n]) return state.fieldErrors[n];
        if (apiField && names.includes(apiField)) return errorMessage(state.error);
        return undefined;
      },
      register: (names, info) => {
        for (const n of names) fields.current.set(n, info);
        return () => names.forEach((n) => fields.current.delete(n));
      },
    }),
    [state.fieldErrors, state.error, apiField],
  );
  const hasErrors = Boolean(state.error) || Object.keys(state.fieldErrors).length > 0;
  useEffect(() => {
    if (hasErrors) summary.current?.focus();
  }, [hasErrors, state.error, state.fieldErrors]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (state.busy) return;
    const found = clean(validate?.() ?? {});
    if (Object.keys(found).length) {
      state.reset();
      state.setFieldErrors(found);
      return;
    }
    void onSubmit();
  };

  const items: { key: string; label?: FieldInfo; message: string }[] = Object.entries(state.fieldErrors).map(([k, m]) => ({ key: k, label: fields.current.get(k), message: m }));
  if (state.error) items.push({ key: apiField ?? '_', label: apiField ? fields.current.get(apiField) : undefined, message: errorMessage(state.error) });

  return (
    <FormContext.Provider value={ctx}>
      <form className={className ?? 'form'} onSubmit={submit} aria-label={label} noValidate aria-busy={state.busy}>
        {hasErrors && (
          <div className="error-summary" role="alert" tabIndex={-1} ref={summary}>
            <p className="error-summary__title">{items.length > 1 ? 'Please fix these problems:' : 'Please fix this problem:'}</p>
            <ul>
              {items.map((it) => (
                <li key={it.key}>
                  {it.label ? (
                    <>
                      <a href={`#${it.label.id}`} onClick={(e) => (e.preventDefault(), document.getElementById(it.label!.id)?.focus())}>
                        {it.label.label}
                      </a>
                      : {it.message}
                    </>
                  ) : it.key !== '_' ? (
                    <>
                      <code>{it.key}</code>: {it.message}
                    </>
                  ) : (
                    it.message
                  )}
                </li>
              ))}
            </ul>
          </div>
        )}
        {children}
      </form>
    </FormContext.Provider>
  );
}

interface FieldShellProps {
  name: string;
  label: string;
  hint?: ReactNode;
  /** Other API field names whose errors belong to this control. */
  aliases?: string[];
  required?: boolean;
  className?: string;
  children: (a: { id: string; describedBy?: string; invalid: boolean; error?: string }) => ReactNode;
}

function FieldShell({ name, label, hint, aliases, required, className, children }: FieldShellProps) {
  const ctx = useContext(FormContext);
  const id = `f-${name}-${useId().replace(/[^a-zA-Z0-9]/g, '')}`;
  const names = useMemo(() => [name, ...(aliases ?? [])], [name, aliases]);
  useEffect(() => ctx.register(names, { id, label }), [ctx, names, id, label]);
  const error = ctx.errorFor(names);
  const hintId = hint ? `${id}-hint` : undefined;
  const errId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error ? ' field--invalid' : ''}${className ? ` ${className}` : ''}`}>
      <label htmlFor={id}>
        {label}
        {required ? <span className="required"> (required)</span> : null}
      </label>
      {hint ? (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field-error" id={errId}>
          {error}
        </p>
      ) : null}
      {children({ id, describedBy, invalid: Boolean(error), error })}
    </div>
  );
}

type Common = { name: string; label: string; hint?: ReactNode; aliases?: string[]; className?: string };

export function TextField({ name, label, hint, aliases, className, onValue, ...input }: Common & ComponentProps<'input'> & { onValue?: (v: string) => void }) {
  return (
    <FieldShell name={name} label={label} hint={hint} aliases={aliases} required={input.required} className={className}>
      {({ id, describedBy, invalid }) => (
        <input id={id} name={name} type="text" aria-describedby={describedBy} aria-invalid={invalid || undefined} onChange={(e) => onValue?.(e.target.value)} {...input} />
      )}
    </FieldShell>
  );
}

export function TextArea({ name, label, hint, aliases, className, onValue, ...input }: Common & TextareaHTMLAttributes<HTMLTextAreaElement> & { onValue?: (v: string) => void }) {
  return (
    <FieldShell name={name} label={label} hint={hint} aliases={aliases} required={input.required} className={className}>
      {({ id, describedBy, invalid }) => (
        <textarea id={id} name={name} aria-describedby={describedBy} aria-invalid={invalid || undefined} onChange={(e) => onValue?.(e.target.value)} rows={6} {...input} />
      )}
    </FieldShell>
  );
}

export function SelectField({ name, label, hint, aliases, className, onValue, options, ...input }: Common & SelectHTMLAttributes<HTMLSelectElement> & { onValue?: (v: string) => void; options: { value: string; label: string }[] }) {
  return (
    <FieldShell name={name} label={label} hint={hint} aliases={aliases} required={input.required} className={className}>
      {({ id, describedBy, invalid }) => (
        <select id={id} name={name} aria-describedby={describedBy} aria-invalid={invalid || undefined} onChange={(e) => onValue?.(e.target.value)} {...input}>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </FieldShell>
  );
}

export function FileField({ name, label, hint, aliases, className, onFile, accept }: Common & { onFile: (file: File | null) => void; accept?: string }) {
  return (
    <FieldShell name={name} label={label} hint={hint} aliases={aliases} className={className}>
      {({ id, describedBy, invalid }) => <input id={id} name={name} type="file" accept={accept} aria-describedby={describedBy} aria-invalid={invalid || undefined} onChange={(e) => onFile(e.target.files?.[0] ?? null)} />}
    </FieldShell>
  );
}

export function Checkbox({ name, label, hint, checked, onChecked, disabled, aliases }: { name: string; label: string; hint?: ReactNode; checked: boolean; onChecked: (v: boolean) => void; disabled?: boolean; aliases?: string[] }) {
  const ctx = useContext(FormContext);
  const id = `f-${name}-${useId().replace(/[^a-zA-Z0-9]/g, '')}`;
  const names = useMemo(() => [name, ...(aliases ?? [])], [name, aliases]);
  useEffect(() => ctx.register(names, { id, label }), [ctx, names, id, label]);
  const error = ctx.errorFor(names);
  const hintId = hint ? `${id}-hint` : undefined;
  const errId = error ? `${id}-error` : undefined;
  return (
    <div className={`field field--check${error ? ' field--invalid' : ''}`}>
      <input id={id} name={name} type="checkbox" checked={checked} disabled={disabled} aria-describedby={[hintId, errId].filter(Boolean).join(' ') || undefined} onChange={(e) => onChecked(e.target.checked)} />
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field-error" id={errId}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** A fieldset of radio buttons (e.g. how the SAML metadata is given). */
export function RadioGroup({ name, legend, value, onValue, options }: { name: string; legend: string; value: string; onValue: (v: string) => void; options: { value: string; label: string }[] }) {
  const base = `r-${name}-${useId().replace(/[^a-zA-Z0-9]/g, '')}`;
  return (
    <fieldset className="radio-group">
      <legend>{legend}</legend>
      {options.map((o) => (
        <span className="radio" key={o.value}>
          <input type="radio" id={`${base}-${o.value}`} name={name} value={o.value} checked={value === o.value} onChange={() => onValue(o.value)} />
          <label htmlFor={`${base}-${o.value}`}>{o.label}</label>
        </span>
      ))}
    </fieldset>
  );
}

export function SubmitButton({ busy, children, busyLabel }: { busy: boolean; children: ReactNode; busyLabel?: string }) {
  return (
    <button type="submit" className="button button--primary" disabled={busy} aria-busy={busy || undefined}>
      {busy ? (
        <>
          <span className="spinner" aria-hidden="true" /> {busyLabel ?? 'Saving…'}
        </>
      ) : (
        children
      )}
    </button>
  );
}
