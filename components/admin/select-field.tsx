export interface SelectOption {
  value: string;
  label: string;
}

interface SelectFieldProps {
  id: string;
  name: string;
  label: string;
  defaultValue: string;
  options: readonly SelectOption[];
  /** Adds a first "any" option with an empty value: the filter is off. */
  any?: boolean;
}

/** A labelled select for the console's GET filter forms. */
export function SelectField({ id, name, label, defaultValue, options, any = false }: SelectFieldProps) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} name={name} defaultValue={defaultValue}>
        {any ? <option value="">any</option> : null}
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export const optionsOf = (
  values: readonly string[],
  label: (value: string) => string = (value) => value,
): SelectOption[] => values.map((value) => ({ value, label: label(value) }));
