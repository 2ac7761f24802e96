/**
 * The progress of long work (an import, a pull, an evidence pack, a signal build): a bar of known
 * length when `percent` is a number, a sliding one while the length is unknown (null). `valueText` is
 * what a screen reader says, in the work's own units ("420,000 of 1,000,000 identities").
 */
export function ProgressBar({
  percent,
  valueText,
  ...name
}: {
  percent: number | null;
  valueText: string;
} & ({ label: string } | { labelledBy: string })) {
  return (
    <div
      className="progress-track"
      role="progressbar"
      {...('label' in name ? { 'aria-label': name.label } : { 'aria-labelledby': name.labelledBy })}
      {...(percent === null
        ? {}
        : { 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': Math.round(percent) })}
      aria-valuetext={valueText}
    >
      {percent === null ? (
        <div className="progress-indeterminate" />
      ) : (
        <div className="progress-determinate" style={{ width: `${Math.min(100, percent)}%` }} />
      )}
    </div>
  );
}
