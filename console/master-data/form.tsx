import { randomUUID } from 'node:crypto';
import type { ApiError } from '../api-call.js';
import type { Flash } from '../flash.js';
import { label, say, type Lang } from '../i18n.js';
import { CsrfField } from '../layout.js';
import type { ConsoleSession } from '../session.js';
import { CHOICES } from './choices.js';

export type FieldType = 'text' | 'decimal' | 'int' | 'date' | 'flag' | 'choice';

/** One input of a master-data form, named as the API's field it fills. */
export interface FieldSpec {
  key: string;
  type: FieldType;
  required?: boolean;
  /** Blank means null (clear it) when editing, rather than "leave as is". */
  nullable?: boolean;
  /** Only when creating (the code, which is the record's address afterwards). */
  createOnly?: boolean;
}

export type FormValues = Record<string, unknown>;

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

/**
 * The form's fields as the API's body. A blank field is left out (the API's default on create, unchanged on edit)
 * or sent as null where blank means none; a whole number that is not one goes as typed, so the API names the field.
 */
export function bodyOf(fields: readonly FieldSpec[], form: FormValues, mode: 'create' | 'edit', locked: ReadonlySet<string> = new Set()): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const f of fields) {
    if ((mode === 'edit' && f.createOnly) || locked.has(f.key)) continue;
    if (f.type === 'flag') {
      body[f.key] = form[f.key] === 'on' || form[f.key] === 'true';
      continue;
    }
    const v = text(form[f.key]);
    if (v === '') {
      if (mode === 'edit' && f.nullable) body[f.key] = null;
      continue;
    }
    body[f.key] = f.type === 'int' && /^-?\d{1,9}$/.test(v) ? Number(v) : v;
  }
  return body;
}

/** A stored record as the form's values (numbers and flags as the inputs hold them). */
export function valuesOf(record: Record<string, unknown>): FormValues {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, typeof v === 'boolean' ? (v ? 'on' : '') : v === null || v === undefined ? '' : String(v)]));
}

export function refusalFlash(e: ApiError): Flash {
  return { kind: 'error', text: e.message, code: e.code, field: e.field };
}

function Input(props: { lang: Lang; f: FieldSpec; value: unknown; invalid: boolean; locked: boolean }) {
  const { f, lang } = props;
  const v = typeof props.value === 'string' ? props.value : props.value == null ? '' : String(props.value);
  // A locked control is shown but not sent: its owner changes it (domain/master-data-controls.ts).
  const common = { name: f.key, id: `f-${f.key}`, 'aria-invalid': props.invalid ? 'true' : undefined, disabled: props.locked || undefined };
  if (f.type === 'flag') return <input type="checkbox" {...common} checked={v === 'on' || v === 'true'} />;
  if (f.type === 'choice') {
    const choices = CHOICES[f.key] ?? {};
    return (
      <select {...common}>
        {Object.entries(choices).map(([value, words]) => <option value={value} selected={value === v}>{say(lang, words)}</option>)}
      </select>
    );
  }
  const type = f.type === 'date' ? 'date' : 'text';
  const mode = f.type === 'decimal' ? 'decimal' : f.type === 'int' ? 'numeric' : undefined;
  return <input type={type} inputmode={mode} {...common} value={v} required={f.required} />;
}

/** A create or edit form: each field labelled in the user's language, the refused field marked, what was typed kept. */
export function RecordForm(props: {
  session: ConsoleSession;
  action: string;
  fields: readonly FieldSpec[];
  values: FormValues;
  mode: 'create' | 'edit';
  error?: ApiError | undefined;
  submit: string;
  /** Controls the user may see but not change. */
  locked?: ReadonlySet<string>;
}) {
  const { session, fields, values, mode } = props;
  const locked = props.locked ?? new Set<string>();
  const refused = props.error?.field?.split(/[.[]/)[0];
  return (
    <form method="post" action={props.action} data-form={mode}>
      <CsrfField session={session} />
      <input type="hidden" name="_key" value={randomUUID()} />
      <table class="form">
        <tbody>
          {fields
            .filter((f) => mode === 'create' || !f.createOnly)
            .map((f) => (
              <tr>
                <th><label for={`f-${f.key}`}>{label(session.lang, f.key)}{f.required ? ' *' : ''}</label></th>
                <td>
                  <Input lang={session.lang} f={f} value={values[f.key]} invalid={refused === f.key} locked={locked.has(f.key)} />
                  {locked.has(f.key) ? <small data-locked={f.key}> {say(session.lang, { zh: '（受控字段，由其负责人设置）', en: '(a control: set by its owner)' })}</small> : ''}
                </td>
              </tr>
            ))}
        </tbody>
      </table>
      <button type="submit">{props.submit}</button>
    </form>
  );
}

/** A one-button form (deactivate, activate, delete). */
export function ButtonForm(props: { session: ConsoleSession; action: string; text: string; fields?: Record<string, string>; confirm?: string }) {
  return (
    <form method="post" action={props.action} class="inline" style="display:inline-block;margin-right:.5rem">
      <CsrfField session={props.session} />
      {Object.entries(props.fields ?? {}).map(([k, v]) => <input type="hidden" name={k} value={v} />)}
      <button type="submit" onclick={props.confirm ? `return confirm(${JSON.stringify(props.confirm)})` : undefined}>{props.text}</button>
    </form>
  );
}
