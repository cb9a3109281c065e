/** The directory forms' field rules, each message in Chinese naming the field as its label does. */
import type { FormRule } from 'antd';

/** Text that must be given: blank or spaces alone are refused. */
export const filled = (label: string): FormRule => ({ required: true, whitespace: true, message: `请填写${label}` });

/** Text of at most `max` characters (the API's limit for the field). */
export const atMost = (label: string, max: number): FormRule => ({ max, message: `${label}不能超过 ${max} 个字` });

/** A choice that must be made (a select, a date). */
export const chosen = (label: string): FormRule => ({ required: true, message: `请选择${label}` });

/** A check of the value alone: what is wrong with it, or undefined. */
export const check = <T = unknown>(wrong: (value: T) => string | undefined): { validator: (rule: unknown, value: T) => Promise<void> } => ({
  validator: async (_rule, value) => {
    const message = wrong(value);
    if (message) throw new Error(message);
  },
});

/** A check against another field's value (list that field in the item's `dependencies`, so a change there checks again). */
export const checkWith =
  <T = unknown>(other: string, wrong: (value: T, otherValue: T) => string | undefined): FormRule =>
  ({ getFieldValue }) =>
    check<T>((value) => wrong(value, getFieldValue(other) as T));
