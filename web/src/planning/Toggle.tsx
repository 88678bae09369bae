/**
 * A choice of two or three options shown as joined buttons: native radio buttons in a fieldset
 * (one tab stop, arrows move, the legend names the choice). Written here rather than antd's
 * Segmented so that this lazy page does not split the overview's Segmented into a shared chunk.
 */
export function Toggle<V extends string>({ legend, value, options, onChange, name }: { legend: string; value: V; options: Array<{ value: V; label: string }>; onChange: (v: V) => void; name: string }) {
  return (
    <fieldset className="ds-toggle">
      <legend className="sr-only">{legend}</legend>
      {options.map((o) => (
        <label key={o.value} className={o.value === value ? 'ds-toggle-on' : undefined}>
          <input type="radio" name={name} value={o.value} checked={o.value === value} onChange={() => onChange(o.value)} />
          <span>{o.label}</span>
        </label>
      ))}
    </fieldset>
  );
}
