/** Why the last attempt did not go through; stays on screen until the next one. */
export function ProblemMessage({ problem }: { problem: string | null }) {
  if (!problem) return null;
  return (
    <p role="alert" className="form-message">
      {problem}
    </p>
  );
}
