import { type DailyFlow, FLOW_OUTCOMES } from "@/lib/health/daily-flow";

const WIDTH = 720;
const HEIGHT = 200;
const GAP = 2;

/**
 * Events per day by outcome as stacked bars, in plain SVG: colours come from classes (the CSP forbids
 * inline styles), and the same numbers are in a table for screen readers and for copying.
 */
export function DailyFlowChart({ flow }: { flow: DailyFlow }) {
  const totals = flow.days.map((day) => FLOW_OUTCOMES.reduce((sum, outcome) => sum + day.counts[outcome], 0));
  const max = Math.max(1, ...totals);
  const barWidth = WIDTH / flow.days.length - GAP;
  return (
    <figure className="chart">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT + 20}`}
        role="img"
        aria-labelledby="flow-caption"
        className="chart-svg"
      >
        {flow.days.map((day, index) => {
          let top = HEIGHT;
          return (
            <g key={day.day}>
              {FLOW_OUTCOMES.map((outcome) => {
                const height = (day.counts[outcome] / max) * HEIGHT;
                top -= height;
                return height > 0 ? (
                  <rect
                    key={outcome}
                    className={`flow-${outcome}`}
                    x={index * (barWidth + GAP)}
                    y={top}
                    width={barWidth}
                    height={height}
                  >
                    <title>{`${day.day}: ${day.counts[outcome]} ${outcome}`}</title>
                  </rect>
                ) : null;
              })}
              {flow.days.length <= 31 && index % Math.ceil(flow.days.length / 10) === 0 ? (
                <text x={index * (barWidth + GAP)} y={HEIGHT + 15} className="chart-label">
                  {day.day.slice(5)}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <figcaption id="flow-caption">
        Events per day (UTC) by outcome; the tallest day has {max}.{" "}
        {FLOW_OUTCOMES.map((outcome) => (
          <span key={outcome} className="legend">
            <span className={`swatch flow-${outcome}`} aria-hidden="true" /> {outcome}
          </span>
        ))}
      </figcaption>
      <details>
        <summary>The numbers</summary>
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">Day</th>
              {FLOW_OUTCOMES.map((outcome) => (
                <th key={outcome} scope="col">
                  {outcome}
                </th>
              ))}
              <th scope="col">repeat deliveries</th>
            </tr>
          </thead>
          <tbody>
            {flow.days.map((day) => (
              <tr key={day.day}>
                <th scope="row">{day.day}</th>
                {FLOW_OUTCOMES.map((outcome) => (
                  <td key={outcome} data-label={outcome}>
                    {day.counts[outcome]}
                  </td>
                ))}
                <td data-label="repeat deliveries">{day.repeats}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
